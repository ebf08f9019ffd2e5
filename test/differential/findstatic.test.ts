/**
 * Differential suite against real Django, once per version of the matrix (test/djangoVersions.ts): for each seeded project tree, `django-static find` must print
 * exactly what `manage.py findstatic` prints (all and --first; an escaping path fails both), and
 * `django-static list --json` must name exactly the files `collectstatic --noinput` writes, with the same
 * source winning each destination, in Django mode and in static mode.
 *
 * DIFF_SEED reproduces a run (each version derives its own seed from it and prints it), DIFF_TREES changes the
 * tree count on the newest version (default 200), DIFF_TREES_OLDER on each older one (default 60), DIFF_JOBS the parallelism,
 * DIFF_MODES limits the modes (`django,static`), DIFF_KEEP=1 keeps the trees on disk.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateTree, GeneratedTree, Random } from './generator';
import { DjangoVersion, describeEachDjango, newestDjango } from '../djangoVersions';
import { buildQueries, bundleCli, DjangoResult, Output, OursResult, pool, PYTHON, Queries, runDjango, runEnv, runOurs } from './runners';

const BASE_SEED = process.env.DIFF_SEED ? Number(process.env.DIFF_SEED) : Math.floor(Math.random() * 2 ** 31);
const TREES_NEWEST = Number(process.env.DIFF_TREES ?? 200);
const TREES_OLDER = Number(process.env.DIFF_TREES_OLDER ?? process.env.DIFF_TREES ?? 60);
const JOBS = Number(process.env.DIFF_JOBS ?? Math.max(2, Math.min(6, os.cpus().length)));
const MODES = (process.env.DIFF_MODES ?? 'django,static').split(',') as Array<'django' | 'static'>;

interface TreeRun {
  tree: GeneratedTree;
  queries: Queries;
  django: DjangoResult;
  ours: Map<string, OursResult>;
}

function djangoAvailable(env: NodeJS.ProcessEnv): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import django'], { stdio: 'ignore', env });
    return true;
  } catch {
    return false;
  }
}

/** Each version's own seed, so one DIFF_SEED replays every version and versions do not test the same trees. */
function seedFor(v: DjangoVersion): number {
  const [major, minor] = v.series.split('.').map(Number);
  return (BASE_SEED ^ Math.imul(major * 100 + minor, 0x9e3779b1)) >>> 1;
}

/** Django's stderr up to its traceback, and the exception line at the end. */
function splitTraceback(stderr: string): { before: string; exception: string } {
  const lines = stderr.trimEnd().split('\n');
  const exception = lines[lines.length - 1];
  const at = stderr.indexOf('Traceback (most recent call last):');
  // call_command (the shell driver) reports the exception as one last line, manage.py as a traceback.
  const before =
    at !== -1
      ? stderr.slice(0, at)
      : lines
          .slice(0, -1)
          .map((l) => `${l}\n`)
          .join('');
  return { before, exception };
}

function compareFind(what: string, django: Output, ours: Output): void {
  if (django.code !== 0) {
    // Both must fail: Django with a traceback ending in SuspiciousFileOperation, we with one sentence.
    assert.strictEqual(ours.code, 1, `${what}: Django failed (${splitTraceback(django.stderr).exception}) but we exited ${ours.code}`);
    const { before, exception } = splitTraceback(django.stderr);
    const message = exception.replace(/^[\w.]*SuspiciousFileOperation: /, '');
    assert.match(exception, /SuspiciousFileOperation/, `${what}: unexpected Django failure ${exception}`);
    assert.strictEqual(ours.stdout, django.stdout, `${what}: stdout`);
    assert.strictEqual(ours.stderr, `${before}django-static: SuspiciousFileOperation: ${message}.\n`, `${what}: stderr`);
    return;
  }
  assert.strictEqual(ours.stderr, django.stderr, `${what}: stderr`);
  assert.strictEqual(ours.stdout, django.stdout, `${what}: stdout`);
  assert.strictEqual(ours.code, 0, `${what}: exit code`);
}

function compareList(tree: GeneratedTree, django: DjangoResult, ours: Output): void {
  assert.strictEqual(ours.code, 0, `list failed: ${ours.stderr}`);
  assert.ok(django.collect.ok, `collectstatic failed on a generated tree: ${django.collect.error}`);
  const listed = JSON.parse(ours.stdout) as Record<string, string[]>;
  assert.deepStrictEqual(Object.keys(listed).sort(), [...django.collected.keys()].sort(), 'collected destinations');
  for (const [dest, sources] of Object.entries(listed)) {
    const winner = fs.readFileSync(sources[0], 'utf8');
    assert.strictEqual(winner, django.collected.get(dest), `winner of ${dest} (we say ${sources[0]})`);
    for (const s of sources) assert.ok(path.isAbsolute(s) && fs.existsSync(s), `${dest}: ${s} is not an existing absolute path`);
  }
  void tree;
}

describeEachDjango('differential: django-static vs real Django', (v) => {
  const newest = newestDjango()?.series === v.series;
  const TREES = newest ? TREES_NEWEST : TREES_OLDER;
  const SEED = seedFor(v);
  const env = runEnv(v.env);
  const runs: TreeRun[] = [];
  const failures = new Map<number, Error>();
  let workDir = '';

  before(async function () {
    // Each process has its own timeout; the whole batch may take long on a busy machine, so no hook limit.
    this.timeout(0);
    if (!djangoAvailable(env)) {
      console.log(`  skipped: ${PYTHON} cannot import Django ${v.series} (apt-get install python3-django; scripts/django-versions.sh)`);
      this.skip();
    }
    console.log(`  Django ${v.version}: seed ${SEED}, ${TREES} trees (DIFF_SEED=${BASE_SEED} reproduces every version of this run)`);
    workDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ds-diff-')));
    await bundleCli(path.join(workDir, '.cli'));
    const master = new Random(SEED);
    const seeds = Array.from({ length: TREES }, () => Math.floor(master.next() * 2 ** 31));
    const started = Date.now();
    await pool(
      seeds.map((seed, i) => async () => {
        try {
          const tree = generateTree(workDir, seed);
          const queries = buildQueries(tree, new Random(seed ^ 0x5bd1e995));
          const django = await runDjango(tree, queries, env);
          const ours = new Map<string, OursResult>();
          for (const mode of MODES) ours.set(mode, await runOurs(tree, queries, mode, env));
          runs[i] = { tree, queries, django, ours };
        } catch (err) {
          failures.set(i, err as Error);
        }
      }),
      JOBS,
    );
    console.log(`  Django ${v.series}: ${TREES} trees in ${((Date.now() - started) / 1000).toFixed(1)} s with ${JOBS} jobs`);
  });

  after(() => {
    if (workDir && !process.env.DIFF_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
    else if (workDir) console.log(`  trees kept in ${workDir}`);
  });

  for (let i = 0; i < TREES; i++) {
    for (const mode of MODES) {
      it(`tree ${i} (${mode} mode)`, function () {
        if (failures.has(i)) throw failures.get(i);
        const r = runs[i];
        if (!r) this.skip();
        const ours = r.ours.get(mode)!;
        const where = `tree seed ${r.tree.seed} [${r.tree.description}] in ${r.tree.dir}`;
        try {
          compareFind(`findstatic ${JSON.stringify(r.queries.all)}`, r.django.findAll, ours.findAll);
          compareFind(`findstatic --first ${JSON.stringify(r.queries.first)}`, r.django.first, ours.first);
          compareFind(`findstatic ${JSON.stringify(r.queries.escaping)}`, r.django.escaping, ours.escaping);
          compareList(r.tree, r.django, ours.list);
        } catch (err) {
          (err as Error).message = `${where}\n${(err as Error).message}`;
          throw err;
        }
      });
    }
  }
});
