/**
 * CSS and JS references against real collectstatic, on generated trees, for each Django version and both modes.
 * Real Django runs collectstatic again and again in one process; each time it fails on a missing file the
 * driver creates that file (in a STATICFILES_DIRS entry of its own) and runs again, and an @import cycle is
 * broken by emptying one of its files. That gives every (file, target) pair that breaks the deploy, whether a
 * cycle ends it, and finally the real staticfiles.json. Our `check` on the tree as generated must name exactly
 * those pairs and the cycle; our `manifest` on the tree as it ends must equal that staticfiles.json, byte for byte.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeEachDjango, DJANGO_PYTHON } from '../djangoVersions';
import { generateAssetTree } from './assetsGenerator';
import { bundleCli, run, runEnv } from './runners';

const DRIVER = String.raw`
import io, json, os, re, shutil, sys
os.environ['DJANGO_SETTINGS_MODULE'] = 'proj.settings'
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
root = str(settings.STATIC_ROOT)
cycle = json.loads(sys.argv[1])
failures, cycles = [], 0
for attempt in range(80):
    shutil.rmtree(root, ignore_errors=True)
    err = io.StringIO()
    try:
        call_command('collectstatic', interactive=False, verbosity=0, stdout=io.StringIO(), stderr=err)
        break
    except ValueError as exc:
        missing = re.match(r"The file '(.*)' could not be found with <", str(exc), re.S)
        failed = re.search(r"Post-processing '(.*)' failed!", err.getvalue())
        if not missing or not failed:
            raise
        failures.append([failed.group(1), missing.group(1)])
        fix = os.path.join('fixes', missing.group(1))
        os.makedirs(os.path.dirname(fix), exist_ok=True)
        with open(fix, 'w') as f:
            f.write('created by the driver')
    except RuntimeError as exc:
        if 'Max post-process passes exceeded' not in str(exc) or not cycle:
            raise
        cycles += 1
        for base in ('assets', os.path.join('shop', 'static')):
            if os.path.exists(os.path.join(base, cycle[1])):
                with open(os.path.join(base, cycle[1]), 'w') as f:
                    f.write('/* cycle broken */\n')
else:
    raise SystemExit('collectstatic never succeeded')
with open(os.path.join(root, 'staticfiles.json')) as f:
    print(json.dumps({'failures': failures, 'cycles': cycles, 'manifest': f.read()}))
`;

const TREES_PER_VERSION = Number(process.env.ASSET_TREES ?? 3);
const FIRST_SEED = Number(process.env.ASSET_SEED ?? 1300);

interface CheckJson {
  findings: Array<{ file: string; code: string; message: string; severity: string }>;
}

describeEachDjango(
  'CSS/JS references against real collectstatic',
  (v) => {
    let workDir = '';
    let cli = '';
    before(async () => {
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsf-assets-'));
      cli = await bundleCli(path.join(workDir, '.cli'));
    });
    after(() => fs.rmSync(workDir, { recursive: true, force: true }));

    for (let i = 0; i < TREES_PER_VERSION; i++) {
      const seed = FIRST_SEED + i;
      it(`tree ${seed}: check names every breaking reference, manifest equals staticfiles.json`, async () => {
        const env = runEnv(v.env);
        const tree = generateAssetTree(workDir, seed, v.series);
        const ours = async (mode: string, command: string, extra: string[] = []) =>
          run(process.execPath, [cli, command, '--root', tree.dir, '--mode', mode, '--python', DJANGO_PYTHON, ...extra], tree.dir, env);
        const checks: Record<string, CheckJson> = {};
        for (const mode of ['django', 'static']) {
          const out = await ours(mode, 'check', ['--format', 'json']);
          assert.ok(out.code === 0 || out.code === 1, `${tree.description}: check --mode ${mode} exit ${out.code}: ${out.stderr}`);
          checks[mode] = JSON.parse(out.stdout) as CheckJson;
        }

        const real = await run(DJANGO_PYTHON, ['-c', DRIVER, JSON.stringify(tree.cycle)], tree.dir, env);
        assert.strictEqual(real.code, 0, `${tree.description}: the driver failed: ${real.stderr}`);
        const truth = JSON.parse(real.stdout) as { failures: Array<[string, string]>; cycles: number; manifest: string };
        const expected = new Set(truth.failures.map(([file, target]) => `${file} -> ${target}`));

        for (const mode of ['django', 'static']) {
          const found = new Set<string>();
          for (const f of checks[mode].findings) {
            if (f.code !== 'asset-missing') continue;
            const m = /post-processing '(.+?)' looks for .*\(ValueError: The file '(.*)' could not be found with </.exec(f.message);
            assert.ok(m, `unexpected message: ${f.message}`);
            found.add(`${m[1]} -> ${m[2]}`);
          }
          // A created file also satisfies the other files that name it, so the driver sees each target once:
          // the targets must be the same, and every pair the driver met must be one of ours.
          const targets = (pairs: Iterable<string>) => [...new Set([...pairs].map((p) => p.split(' -> ')[1]))].sort();
          assert.deepStrictEqual(targets(found), targets(expected), `${tree.description}, ${mode} mode: breaking targets`);
          for (const pair of expected) assert.ok(found.has(pair), `${tree.description}, ${mode} mode: ${pair} not reported`);
          const cycleFindings = checks[mode].findings.filter((f) => f.code === 'asset-import-cycle');
          assert.strictEqual(cycleFindings.length > 0, truth.cycles > 0, `${tree.description}, ${mode} mode: cycle`);
          assert.ok(
            checks[mode].findings.every((f) => !f.file.startsWith('more')),
            'a shadowed copy was reported',
          );

          const manifest = await ours(mode, 'manifest');
          assert.strictEqual(manifest.code, 0, `${tree.description}, ${mode} mode: manifest exit ${manifest.code}: ${manifest.stderr}`);
          assert.deepStrictEqual(
            JSON.parse(manifest.stdout),
            JSON.parse(truth.manifest),
            `${tree.description}, ${mode} mode: staticfiles.json`,
          );
          // Byte for byte too: the keys come in the order collectstatic walked the folders in.
          assert.strictEqual(manifest.stdout, `${truth.manifest}\n`, `${tree.description}, ${mode} mode: staticfiles.json bytes`);
        }
      });
    }
  },
  180_000,
);
