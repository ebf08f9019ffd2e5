/**
 * Seeded projects for the CSS/JS differential suite: two STATICFILES_DIRS and an app, CSS and JS files whose
 * references take every form ManifestStaticFilesStorage's patterns read (present and missing targets,
 * quotes, the `url(  "x"  )` edge, schemes in both cases, STATIC_URL-absolute paths, fragments, queries, the
 * @font-face hack, @import, comments, source maps, JS module imports), shadowed copies with references that
 * must not count, Django's storage or a project subclass that turns on JS module imports, and sometimes an
 * @import cycle. Nothing leads outside STATIC_ROOT (Django raises SuspiciousFileOperation there, which a
 * created file cannot neutralise).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Random } from './generator';

export interface AssetTree {
  dir: string;
  seed: number;
  /** The two files of the @import cycle, as destination paths, when there is one. */
  cycle: [string, string] | null;
  description: string;
}

const MANAGE_PY = `import os, sys
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
`;

const IMAGES = ['img/a.png', 'img/b b.png', 'img/ü.png', 'img/f.eot', 'img/deep/c.png', 'shop/logo.png'];

function write(dir: string, rel: string, text: string | Buffer): void {
  const abs = path.join(dir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

/** A URL from the folder of `from` (a destination path) to `to`. */
function relativeUrl(from: string, to: string): string {
  return path.posix.relative(path.posix.dirname(from), to);
}

/** Every form of CSS reference to `target` from `file`. */
function cssForms(file: string, target: string): string[] {
  const rel = relativeUrl(file, target);
  return [
    () => `url(${rel})`,
    () => `url('${rel}')`,
    () => `url("${rel}")`,
    () => `URL(${rel})`,
    () => `url( ${rel} )`,
    () => `url(  "${rel}"  )`,
    () => `url(${rel}#frag)`,
    () => `url(${rel}?v=3)`,
    () => `url("${rel}?#iefix")`,
    () => `url(/static/${target})`,
    () => `url(/elsewhere/${target})`,
    () => `url(data:image/png;base64,iVBORw0KGgo=)`,
    () => `url(http://example.com/${target})`,
    () => `url(HTTPS://example.com/${target})`,
    () => `url(//cdn.example.com/${target})`,
    () => `url(#only-fragment)`,
    () => `url(${encodeURI(rel)})`,
  ].map((f) => f());
}

/** One CSS reference of a random form, to a present or a missing target. */
function cssReference(rng: Random, file: string, present: string[]): string {
  return rng.pick(cssForms(file, rng.chance(0.7) ? rng.pick(present) : `img/missing-${rng.int(1, 9)}.png`));
}

/** `cssTargets` and `jsTargets` are the files after this one, so the only cycle is the one made on purpose. */
function cssFile(rng: Random, file: string, present: string[], cssTargets: string[]): string {
  const lines: string[] = [];
  for (let i = rng.int(0, 2); i > 0 && cssTargets.length; i--) {
    const t = rng.pick(cssTargets);
    const rel = relativeUrl(file, t);
    lines.push(
      rng.pick([`@import "${rel}";`, `@import '${rel}';`, `@import url("${rel}");`, `@import "${rel.replace(/\.css$/, '-gone.css')}";`]),
    );
  }
  for (let i = rng.int(1, 5); i > 0; i--) lines.push(`.r${i} { background: ${cssReference(rng, file, present)}; }`);
  if (rng.chance(0.3)) lines.push(`/* old: ${cssReference(rng, file, present)} */`);
  if (rng.chance(0.4)) lines.push(`/*# sourceMappingURL=${rng.chance(0.5) ? path.posix.basename(file) + '.map' : 'gone.css.map'} */`);
  return `${lines.join('\n')}\n`;
}

function jsFile(rng: Random, file: string, jsTargets: string[], series: string): string {
  const lines: string[] = [];
  const rel = (t: string) => {
    const r = relativeUrl(file, t);
    return r.startsWith('.') ? r : `./${r}`;
  };
  for (let i = rng.int(0, 3); i > 0; i--) {
    const t = rng.chance(0.75) && jsTargets.length ? rng.pick(jsTargets) : 'js/absent.js';
    const forms = [
      `import { a } from "${rel(t)}";`,
      `export { a } from '${rel(t)}';`,
      `import "${rel(t)}";`,
      `const m${i} = import("${rel(t)}");`,
      `import lib from "vendor-lib";`,
    ];
    if (series !== '4.2') forms.push(`import * as ns${i} from "${rel(t)}";`);
    lines.push(rng.pick(forms));
  }
  lines.push('export const a = 1;');
  if (rng.chance(0.5)) lines.push(`//# sourceMappingURL=${rng.chance(0.5) ? path.posix.basename(file) + '.map' : 'nothing.js.map'}`);
  return `${lines.join('\n')}\n`;
}

/** Builds one project for `series` below `parent`. */
export function generateAssetTree(parent: string, seed: number, series: string): AssetTree {
  const rng = new Random(seed);
  const dir = path.join(parent, `assets-${series}-${seed}`);
  const subclass = rng.chance(0.5);
  const storage = subclass ? 'proj.storage.Storage' : 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage';
  const storageSetting =
    series === '3.2'
      ? `STATICFILES_STORAGE = '${storage}'`
      : `STORAGES = {'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}, 'staticfiles': {'BACKEND': '${storage}'}}`;
  write(dir, 'manage.py', MANAGE_PY);
  write(dir, 'proj/__init__.py', '');
  write(dir, 'shop/__init__.py', '');
  write(
    dir,
    'proj/settings.py',
    `from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'x'
INSTALLED_APPS = ['django.contrib.staticfiles', 'shop']
STATIC_URL = '/static/'
STATIC_ROOT = BASE_DIR / 'collected'
STATICFILES_DIRS = [BASE_DIR / 'assets', BASE_DIR / 'more', BASE_DIR / 'fixes']
${storageSetting}
`,
  );
  if (subclass) {
    write(
      dir,
      'proj/storage.py',
      `from django.contrib.staticfiles.storage import ManifestStaticFilesStorage\n\n\nclass Storage(ManifestStaticFilesStorage):\n    support_js_module_import_aggregation = True\n`,
    );
  }
  fs.mkdirSync(path.join(dir, 'fixes'), { recursive: true });
  const sourceOf = (dest: string) => (dest.startsWith('shop/') ? `shop/static/${dest}` : `assets/${dest}`);
  for (const img of IMAGES) write(dir, sourceOf(img), `image ${img} ${seed}`);
  const css = ['css/site.css', 'css/sub/part.css', 'css/theme.css', 'shop/shop.css'].slice(0, rng.int(2, 4));
  const js = ['js/app.js', 'js/mod.js', 'js/lib/util.js'];
  css.forEach((f, i) => write(dir, sourceOf(f), cssFile(rng, f, IMAGES, css.slice(i + 1))));
  js.forEach((f, i) => write(dir, sourceOf(f), jsFile(rng, f, js.slice(i + 1), series)));
  for (const f of [...css, ...js]) if (rng.chance(0.5)) write(dir, sourceOf(`${f}.map`), '{"version":3}');
  // Every form once, so each tree has each edge, whatever the dice say.
  write(
    dir,
    'assets/css/forms/all.css',
    `${cssForms('css/forms/all.css', rng.pick(IMAGES))
      .map((u, i) => `.f${i} { background: ${u}; }`)
      .join('\n')}\n`,
  );
  // A shadowed copy: `more/` comes after `assets/`, so its broken references are never post-processed.
  write(dir, `more/${css[0]}`, '.shadowed { background: url(never-there.png); }\n');
  write(dir, 'more/css/only-more.css', `.m { background: url(../img/a.png); }\n`);
  let cycle: [string, string] | null = null;
  if (rng.chance(0.3)) {
    cycle = ['css/loop-a.css', 'css/loop-b.css'];
    write(dir, sourceOf(cycle[0]), '@import "loop-b.css";\n');
    write(dir, sourceOf(cycle[1]), "@import url('loop-a.css');\n");
  }
  return {
    dir,
    seed,
    cycle,
    description: `seed ${seed}: ${css.length} CSS, ${subclass ? 'subclass with JS imports' : "Django's storage"}${cycle ? ', a cycle' : ''}`,
  };
}
