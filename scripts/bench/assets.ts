/**
 * The CSS/JS part of the benchmark: a tree of `total` static files of which `cssJs` are CSS and JS with
 * references (url(), @import chains, JS source maps) and the rest images and maps. Measures real collectstatic
 * (copy, post-processing and manifest, Django 3.2) against our manifest prediction on the same tree, checks the
 * two manifests are equal, and times the re-check after saving one CSS file (the replay continued from the
 * last one, then the findings), as the language server does it. `node out/scripts/bench/assets.js
 * [--files=100000] [--css-js=5000]` runs it alone.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetPrediction, assetFindings, manifestJson, predictAssets } from '../../server/src/engine/assets';
import { loadProject } from '../../server/src/engine/project';
import { DEFAULT_WALK_LIMITS } from '../../server/src/engine/walkBudget';
import { benchRoot } from './generate';
import { median, now } from './stats';

const PYTHON = '/usr/bin/python3';
/** Bumped whenever the layout changes, so a cached tree from an older generator is rebuilt. */
const GENERATOR_VERSION = 1;
/** Saves timed for the re-check (each a different CSS file). */
const SAVES = 7;

/** What the CSS/JS benchmark measured (null: not measured, the reason in `unavailable`). */
export interface AssetResult {
  files: number;
  css_js_files: number;
  /** Real collectstatic from spawn to exit, post-processing and manifest included. */
  collectstatic_ms: number | null;
  /** Our prediction of staticfiles.json (collect order walk, replay, every hash, the JSON). */
  manifest_ms: number | null;
  manifest_vs_django: number | null;
  manifest_equal: boolean | null;
  /** One whole replay without the manifest (what the server did on every save before). */
  whole_recheck_ms: number | null;
  /** Median re-check after saving one CSS file: the replay continued, then the findings. */
  recheck_ms: number | null;
  /** The same re-checks in this process's CPU time: what the machine's other load does not inflate. */
  recheck_cpu_ms: number | null;
  recheck_replayed_files: number | null;
  unavailable: Record<string, string>;
}

function write(abs: string, text: string): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

/** CSS file i: two images, a data: URL, and every seventh one @imports the next CSS file (chains of two). */
function cssText(i: number, images: number): string {
  const img = (k: number) => `../../img/d${((i + k) % images) % 100}/i${(i + k) % images}.png`;
  const imp = i % 7 === 0 ? `@import "../d${(i + 1) % 100}/f${i + 1}.css";\n` : '';
  return `${imp}.a { background: url(${img(1)}); }\n.b { background: url('${img(2)}#x'); }\n.c { background: url(data:image/png;base64,AA==); }\n`;
}

/** Creates (or reuses) the tree; returns its folder and the CSS files a save is timed on. */
export function generateAssetProject(total: number, cssJs: number): { dir: string; css: string[] } {
  const dir = path.join(benchRoot(), `assets-${total}-${cssJs}`);
  const marker = path.join(dir, '.bench-generated.json');
  const cssCount = Math.ceil(cssJs * 0.6);
  const jsCount = cssJs - cssCount;
  const images = Math.max(10, total - cssJs - jsCount);
  const cssPath = (i: number) => path.join(dir, `assets/css/d${i % 100}/f${i}.css`);
  const css = Array.from({ length: SAVES }, (_, k) => cssPath(Math.floor(((k + 0.5) * cssCount) / SAVES)));
  try {
    if ((JSON.parse(fs.readFileSync(marker, 'utf8')) as { version: number }).version === GENERATOR_VERSION) return { dir, css };
  } catch {
    // No tree yet, or a half-written one: build it.
  }
  fs.rmSync(dir, { recursive: true, force: true });
  write(
    path.join(dir, 'manage.py'),
    "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n",
  );
  write(path.join(dir, 'proj/__init__.py'), '');
  write(
    path.join(dir, 'proj/settings.py'),
    "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nSECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.staticfiles']\n" +
      "STATIC_URL = '/static/'\nSTATIC_ROOT = BASE_DIR / 'collected'\nSTATICFILES_DIRS = [BASE_DIR / 'assets']\n" +
      "STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'\n",
  );
  for (let i = 0; i < images; i++) write(path.join(dir, `assets/img/d${i % 100}/i${i}.png`), `png ${i}`);
  // The last CSS file of a chain must exist: the one after the last is not imported.
  for (let i = 0; i < cssCount; i++) write(cssPath(i), i === cssCount - 1 ? '.end {}\n' : cssText(i, images));
  for (let i = 0; i < jsCount; i++) {
    write(path.join(dir, `assets/js/d${i % 100}/f${i}.js`), `export const v = ${i};\n//# sourceMappingURL=f${i}.js.map\n`);
    write(path.join(dir, `assets/js/d${i % 100}/f${i}.js.map`), '{"version":3}');
  }
  fs.writeFileSync(marker, JSON.stringify({ version: GENERATOR_VERSION }));
  return { dir, css };
}

export async function measureAssets(total: number, cssJs: number, log: (line: string) => void): Promise<AssetResult> {
  const { dir, css } = generateAssetProject(total, cssJs);
  const result: AssetResult = {
    files: total,
    css_js_files: cssJs,
    collectstatic_ms: null,
    manifest_ms: null,
    manifest_vs_django: null,
    manifest_equal: null,
    whole_recheck_ms: null,
    recheck_ms: null,
    recheck_cpu_ms: null,
    recheck_replayed_files: null,
    unavailable: {},
  };
  const collected = path.join(dir, 'collected');
  let real: string | null = null;
  fs.rmSync(collected, { recursive: true, force: true });
  try {
    const t = now();
    execFileSync(PYTHON, ['manage.py', 'collectstatic', '--noinput', '-v0'], {
      cwd: dir,
      env: { ...process.env, PYTHONPATH: '' },
      stdio: 'pipe',
    });
    result.collectstatic_ms = now() - t;
    real = fs.readFileSync(path.join(collected, 'staticfiles.json'), 'utf8');
  } catch (err) {
    result.unavailable.collectstatic_ms = `collectstatic failed: ${String((err as { stderr?: Buffer }).stderr ?? err)
      .trim()
      .split('\n')
      .pop()}`;
  } finally {
    // A fresh STATIC_ROOT for ours too: leftovers of a run are not what a save is checked against.
    fs.rmSync(collected, { recursive: true, force: true });
  }
  log(`    collectstatic (copy + post-process + manifest): ${result.collectstatic_ms?.toFixed(0) ?? 'n/a'} ms`);

  // The walk limits are lifted (as for the cold index): under load the 10 s walk budget could cut the tree short.
  const walkLimits = { ...DEFAULT_WALK_LIMITS, maxEntries: Infinity, maxMillis: Infinity, maxIndexEntries: Infinity };
  const { model, index } = await loadProject(dir, { mode: 'static', python: PYTHON, walkLimits });
  if (index.size < total) throw new Error(`the index holds ${index.size} of ${total} files`);
  const manifestRuns: number[] = [];
  let json: string | null = null;
  for (let run = 0; run < 3; run++) {
    const t = now();
    json = manifestJson(predictAssets(model, index, { manifest: true }), model.djangoVersion);
    manifestRuns.push(now() - t);
  }
  result.manifest_ms = median(manifestRuns);
  if (result.collectstatic_ms !== null) result.manifest_vs_django = result.collectstatic_ms / result.manifest_ms;
  result.manifest_equal = real !== null && json !== null ? sameJson(json, real) : null;
  if (result.manifest_equal === false) log('    our manifest differs from staticfiles.json');

  let t = now();
  let previous: AssetPrediction = predictAssets(model, index);
  assetFindings(previous);
  result.whole_recheck_ms = now() - t;
  const times: number[] = [];
  const cpu: number[] = [];
  const replayed: number[] = [];
  const originals = css.map((f) => fs.readFileSync(f, 'utf8'));
  try {
    for (const [k, file] of css.entries()) {
      fs.appendFileSync(file, `.z { background: url(../../img/nowhere-${k}.png); }\n`);
      index.fileChanged?.(file);
      t = now();
      const cpu0 = process.cpuUsage();
      const again = predictAssets(model, index, { previous, changed: [file] });
      const findings = assetFindings(again);
      const used = process.cpuUsage(cpu0);
      times.push(now() - t);
      cpu.push((used.user + used.system) / 1000);
      replayed.push(again.result?.memory.replayed ?? 0);
      // Every save so far left its missing image: the re-check must have found each one.
      if (findings.filter((f) => f.code === 'asset-missing').length !== k + 1)
        throw new Error(`re-check ${k} found ${findings.length} findings`);
      previous = again;
    }
    result.recheck_ms = median(times);
    result.recheck_cpu_ms = median(cpu);
    result.recheck_replayed_files = Math.max(...replayed);
  } catch (err) {
    result.unavailable.recheck_ms = String(err);
  } finally {
    css.forEach((f, k) => fs.writeFileSync(f, originals[k]));
  }
  log(
    `    manifest prediction ${result.manifest_ms.toFixed(0)} ms (equal: ${result.manifest_equal}); whole replay ${result.whole_recheck_ms.toFixed(0)} ms; ` +
      `re-check after one save ${result.recheck_ms?.toFixed(1) ?? 'n/a'} ms (${result.recheck_cpu_ms?.toFixed(1) ?? 'n/a'} ms CPU, ${result.recheck_replayed_files ?? '?'} files replayed)`,
  );
  return result;
}

function sameJson(a: string, b: string): boolean {
  const sort = (v: unknown): unknown =>
    v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .sort(([x], [y]) => (x < y ? -1 : 1))
            .map(([k, x]) => [k, sort(x)]),
        )
      : v;
  return JSON.stringify(sort(JSON.parse(a))) === JSON.stringify(sort(JSON.parse(b)));
}

if (require.main === module) {
  const flag = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
  measureAssets(flag('files', 100_000), flag('css-js', 5000), (l) => console.log(l)).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
