/**
 * `node out/scripts/bench/assets.js [--files=5000] [--django=5.2]`: manifest prediction against real
 * collectstatic (post-processing included) on one generated tree of CSS/JS files with images, and the re-check
 * after one CSS file is saved. Prints one line per figure; the tree is removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assetFindings, manifestJson, predictAssets } from '../../server/src/engine/assets';
import { loadProject } from '../../server/src/engine/project';
import { now } from './stats';

const PYTHON = '/usr/bin/python3';

function flag(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

function write(abs: string, text: string): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

function generate(dir: string, files: number, series: string): void {
  const storage = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage';
  const storageSetting =
    series === '3.2'
      ? `STATICFILES_STORAGE = '${storage}'`
      : `STORAGES = {'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}, 'staticfiles': {'BACKEND': '${storage}'}}`;
  write(
    path.join(dir, 'manage.py'),
    "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n",
  );
  write(path.join(dir, 'proj/__init__.py'), '');
  write(
    path.join(dir, 'proj/settings.py'),
    `from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nSECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_URL = '/static/'\nSTATIC_ROOT = BASE_DIR / 'collected'\nSTATICFILES_DIRS = [BASE_DIR / 'assets']\n${storageSetting}\n`,
  );
  const images = Math.max(10, Math.floor(files / 2));
  for (let i = 0; i < images; i++) write(path.join(dir, `assets/img/d${i % 50}/i${i}.png`), `png ${i}`);
  for (let i = 0; i < files; i++) {
    const folder = `d${i % 100}`;
    const img = (k: number) => `../../img/d${((i + k) % images) % 50}/i${(i + k) % images}.png`;
    if (i % 5 < 3) {
      const imp = i % 7 === 0 && i + 1 < files && (i + 1) % 5 < 3 ? `@import "../d${(i + 1) % 100}/f${i + 1}.css";\n` : '';
      write(
        path.join(dir, `assets/css/${folder}/f${i}.css`),
        `${imp}.a { background: url(${img(1)}); }\n.b { background: url('${img(2)}#x'); }\n.c { background: url(data:image/png;base64,AA==); }\n`,
      );
    } else {
      write(path.join(dir, `assets/js/${folder}/f${i}.js`), `export const v = ${i};\n//# sourceMappingURL=f${i}.js.map\n`);
      write(path.join(dir, `assets/js/${folder}/f${i}.js.map`), '{"version":3}');
    }
  }
}

async function main(): Promise<void> {
  const files = Number(flag('files', '5000'));
  const series = flag('django', '5.2');
  const cache = path.join(os.homedir(), '.cache/django-static-files/django', series, 'usr/lib/python3/dist-packages');
  const env = { ...process.env, PYTHONPATH: series === '3.2' ? '' : cache };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsf-bench-assets-'));
  try {
    generate(dir, files, series);
    process.env.PYTHONPATH = env.PYTHONPATH;
    let t = now();
    execFileSync(PYTHON, ['manage.py', 'collectstatic', '--noinput', '-v0'], { cwd: dir, env, stdio: 'ignore' });
    const django = now() - t;
    const real = fs.readFileSync(path.join(dir, 'collected/staticfiles.json'), 'utf8');
    fs.rmSync(path.join(dir, 'collected'), { recursive: true, force: true });

    t = now();
    const { model, index } = await loadProject(dir, { mode: 'static', python: PYTHON });
    const learn = now() - t;
    t = now();
    const prediction = predictAssets(model, index, { manifest: true });
    const json = manifestJson(prediction, model.djangoVersion);
    const predict = now() - t;
    const equal = json !== null && deepEqual(JSON.parse(json), JSON.parse(real));

    const oneCss = path.join(dir, 'assets/css/d0/f0.css');
    fs.appendFileSync(oneCss, '.z { background: url(../../img/nowhere.png); }\n');
    t = now();
    const again = predictAssets(model, index);
    const findings = assetFindings(again);
    const recheck = now() - t;

    const ms = (x: number) => `${x.toFixed(0)} ms`;
    console.log(
      `CSS/JS files: ${files} (+${Math.max(10, Math.floor(files / 2))} images, ${(files / 5) * 2} source maps), Django ${series}`,
    );
    console.log(`real collectstatic (copy + post-process + manifest): ${ms(django)}`);
    console.log(`our learn + index (static mode): ${ms(learn)}`);
    console.log(
      `our manifest prediction: ${ms(predict)} (${(django / predict).toFixed(1)}x faster than collectstatic; equal to staticfiles.json: ${equal})`,
    );
    console.log(`re-check after saving one CSS file (whole replay, no manifest): ${ms(recheck)}, ${findings.length} finding(s)`);
  } finally {
    if (process.argv.includes('--keep')) console.log(`tree kept at ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  const sort = (v: unknown): unknown =>
    v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .sort(([x], [y]) => (x < y ? -1 : 1))
            .map(([k, x]) => [k, sort(x)]),
        )
      : v;
  return JSON.stringify(sort(a)) === JSON.stringify(sort(b));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
