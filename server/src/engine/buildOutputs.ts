/**
 * Where a front-end build writes static files, so a missing path there reads "not built yet" instead of a
 * typo: webpack's `output.path`, Vite's `build.outDir`, Rollup's `output.file`/`dir`, an output argument of a
 * package.json script (`tailwindcss -o static/css/output.css`, `sass src:static/css`, `esbuild --outdir=…`),
 * and folders or files `.gitignore` ignores (built files are rarely committed). Config files are read as text,
 * never run.
 */
import { fsAsync as fs } from './fsAsync';
import * as path from 'node:path';
import type { BuildOutput, ProjectModel } from './model';

const SCRIPT_OUTPUT_FLAGS = new Set([
  '-o',
  '--output',
  '--out-dir',
  '--outdir',
  '--out-file',
  '--outfile',
  '--output-path',
  '-d',
  '--dest',
]);
const MAX_GITIGNORE_LINES = 2000;

/** Every build output the project's files name, outputs from configs first (they carry a command). */
export async function findBuildOutputs(model: ProjectModel): Promise<BuildOutput[]> {
  const folders = await configFolders(model.projectDir);
  const outputs: BuildOutput[] = [];
  for (const dir of folders) {
    const scripts = await packageScripts(dir);
    outputs.push(...scriptOutputs(dir, scripts));
    outputs.push(...(await webpackOutputs(dir, scripts)));
    outputs.push(...(await viteOutputs(dir, scripts)));
    outputs.push(...(await rollupOutputs(dir, scripts)));
  }
  // What builds an ignored file is not written anywhere: only a plain `build` script is worth suggesting.
  const buildScript = (await packageScripts(folders[0])).build !== undefined ? 'npm run build' : null;
  for (const dir of [...folders, ...staticRootsOf(model)]) outputs.push(...(await gitignoreOutputs(dir, buildScript, model.projectDir)));
  return outputs;
}

/**
 * The build output that would hold `file` (absolute, inside the static folder `root`), or null. A .gitignore
 * pattern counts when it ignores something inside `root`; one that ignores `root` itself only counts when
 * `rootMayBeOutput` (a STATICFILES_DIRS entry): `static/` in .gitignore usually means STATIC_ROOT, and would
 * otherwise match every app's `static/` folder.
 */
export function buildOutputFor(
  outputs: readonly BuildOutput[] | undefined,
  file: string,
  root: string,
  rootMayBeOutput: boolean,
): BuildOutput | null {
  if (!outputs) return null;
  for (const output of outputs) {
    if (output.kind === 'path' && (file === output.path || file.startsWith(`${output.path}/`))) return output;
    if (output.kind !== 'gitignore') continue;
    const matched = gitignoreMatch(output.pattern, output.base, file);
    if (matched !== null && (matched.length > root.length || rootMayBeOutput)) return output;
  }
  return null;
}

/**
 * The build output an app's absent `static/` folder is: on a fresh clone the build that writes into the app
 * (gulp, webpack into `<app>/static/<app>/`) has not run, and .gitignore ignores the folder itself. Only a
 * pattern that names the folder's place (`shop/static/`, or a wildcard for the app folder) and leaves
 * STATIC_ROOT alone counts: a bare `static/` most often means STATIC_ROOT, and would make every app without
 * static files "not built".
 */
export function absentAppFolderOutput(outputs: readonly BuildOutput[], staticDir: string, staticRoot: string | null): BuildOutput | null {
  for (const output of outputs) {
    if (output.kind !== 'gitignore' || !output.pattern.replace(/\/+$/, '').includes('/')) continue;
    if (gitignoreMatch(output.pattern, output.base, staticDir) !== staticDir) continue;
    if (staticRoot && gitignoreMatch(output.pattern, output.base, staticRoot) !== null) continue;
    return output;
  }
  return null;
}

/** The project folder and its parents up to the repository root (front-end configs often sit at the top). */
async function configFolders(projectDir: string): Promise<string[]> {
  const dirs: string[] = [];
  for (let dir = path.resolve(projectDir), level = 0; level < 4; dir = path.dirname(dir), level++) {
    dirs.push(dir);
    if (path.dirname(dir) === dir || (await exists(path.join(dir, '.git')))) break;
  }
  return dirs;
}

function staticRootsOf(model: ProjectModel): string[] {
  const roots: string[] = [];
  for (const finder of model.finders) {
    if (finder.kind === 'filesystem') roots.push(...finder.dirs.map((d) => d.root));
    if (finder.kind === 'app')
      for (const app of finder.apps) if (app.staticDir && app.staticDir.startsWith(`${model.projectDir}/`)) roots.push(app.staticDir);
  }
  return roots;
}

async function packageScripts(dir: string): Promise<Record<string, string>> {
  const text = await read(path.join(dir, 'package.json'));
  if (!text) return {};
  try {
    const scripts = (JSON.parse(text) as { scripts?: unknown }).scripts;
    if (!scripts || typeof scripts !== 'object') return {};
    return Object.fromEntries(Object.entries(scripts).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/** `-o out`, `--outdir=out`, and sass's `src:out` pairs and `sass in.scss out.css` in each script's commands. */
function scriptOutputs(dir: string, scripts: Record<string, string>): BuildOutput[] {
  const outputs: BuildOutput[] = [];
  for (const [name, script] of Object.entries(scripts)) {
    const targets: string[] = [];
    for (const command of script.split(/&&|\|\||[;|]/)) {
      const words = command.split(/\s+/).filter((w) => w !== '');
      if (words[0] === 'npx') words.shift();
      const sass = /^(sass|node-sass)$/.test(words[0] ?? '');
      const positional: string[] = [];
      for (let i = 0; i < words.length; i++) {
        const word = words[i];
        const eq = word.indexOf('=');
        if (eq > 0 && SCRIPT_OUTPUT_FLAGS.has(word.slice(0, eq))) targets.push(word.slice(eq + 1));
        else if (SCRIPT_OUTPUT_FLAGS.has(word)) targets.push(words[++i] ?? '-');
        else if (sass && /^[^-:][^:]*:[^:]+$/.test(word)) targets.push(word.split(':')[1]);
        else if (i > 0 && !word.startsWith('-')) positional.push(word);
      }
      // `sass in.scss out.css`: the second of exactly two plain arguments is the output.
      if (sass && positional.length === 2 && !positional.some((w) => w.includes(':'))) targets.push(positional[1]);
    }
    for (const target of targets) {
      if (!target || target.startsWith('-')) continue;
      outputs.push({
        kind: 'path',
        path: path.resolve(dir, unquote(target)),
        from: `the package.json script '${name}'`,
        command: `npm run ${name}`,
      });
    }
  }
  return outputs;
}

async function webpackOutputs(dir: string, scripts: Record<string, string>): Promise<BuildOutput[]> {
  const outputs: BuildOutput[] = [];
  for (const name of ['webpack.config.js', 'webpack.config.cjs', 'webpack.config.mjs', 'webpack.config.ts']) {
    const text = await read(path.join(dir, name));
    if (!text) continue;
    // output: { path: path.resolve(__dirname, 'assets', 'bundles') } and path.join(...) alike.
    for (const match of text.matchAll(/\bpath\s*:\s*path\.(?:resolve|join)\(\s*__dirname\s*,([^)]*)\)/g)) {
      const parts = [...match[1].matchAll(/['"`]([^'"`]+)['"`]/g)].map((m) => m[1]);
      if (parts.length)
        outputs.push({
          kind: 'path',
          path: path.resolve(dir, ...parts),
          from: name,
          command: commandFor(scripts, /\bwebpack\b/, 'npx webpack'),
        });
    }
  }
  return outputs;
}

/** Rollup's `output.file` and `output.dir` (an output may be a list of them). */
async function rollupOutputs(dir: string, scripts: Record<string, string>): Promise<BuildOutput[]> {
  const outputs: BuildOutput[] = [];
  for (const name of ['rollup.config.js', 'rollup.config.mjs', 'rollup.config.cjs', 'rollup.config.ts']) {
    const text = await read(path.join(dir, name));
    if (!text) continue;
    const outputAt = text.search(/\boutput\s*:/);
    if (outputAt < 0) continue;
    for (const match of text.slice(outputAt).matchAll(/\b(?:file|dir)\s*:\s*['"`]([^'"`$]+)['"`]/g))
      outputs.push({
        kind: 'path',
        path: path.resolve(dir, match[1]),
        from: name,
        command: commandFor(scripts, /\brollup\b(?!.*\s(-w|--watch)\b)/, 'npx rollup -c'),
      });
  }
  return outputs;
}

async function viteOutputs(dir: string, scripts: Record<string, string>): Promise<BuildOutput[]> {
  const outputs: BuildOutput[] = [];
  for (const name of ['vite.config.js', 'vite.config.ts', 'vite.config.mjs', 'vite.config.cjs']) {
    const text = await read(path.join(dir, name));
    if (!text) continue;
    const root = /\broot\s*:\s*['"`]([^'"`]+)['"`]/.exec(text)?.[1] ?? '.';
    const outDir = /\boutDir\s*:\s*(?:path\.resolve\(\s*__dirname\s*,\s*)?['"`]([^'"`]+)['"`]/.exec(text)?.[1] ?? 'dist';
    outputs.push({
      kind: 'path',
      path: path.resolve(dir, root, outDir),
      from: name,
      command: commandFor(scripts, /\bvite\b(?!\s+(dev|serve|preview))/, 'npx vite build'),
    });
  }
  return outputs;
}

/** The npm script that runs the tool, else the tool itself. */
function commandFor(scripts: Record<string, string>, tool: RegExp, fallback: string): string {
  const named = Object.entries(scripts).find(([name, script]) => tool.test(script) && !/watch|dev|serve|start/.test(name));
  return named ? `npm run ${named[0]}` : fallback;
}

async function gitignoreOutputs(dir: string, command: string | null, projectDir: string): Promise<BuildOutput[]> {
  const file = path.join(dir, '.gitignore');
  const shown = path.relative(projectDir, file);
  const text = await read(file);
  if (!text) return [];
  const outputs: BuildOutput[] = [];
  text
    .split('\n')
    .slice(0, MAX_GITIGNORE_LINES)
    .forEach((raw, line) => {
      const pattern = raw.trim();
      // Negations re-include files: leaving them out can only make fewer paths "not built".
      if (!pattern || pattern.startsWith('#') || pattern.startsWith('!')) return;
      outputs.push({ kind: 'gitignore', base: dir, pattern, from: `${shown} line ${line + 1}: ${pattern}`, command });
    });
  return outputs;
}

/**
 * gitignore semantics for one pattern: a slash anchors it to its folder, `*` stays within a segment, `**`
 * crosses. Returns the shortest ignored path that holds `file` (ignoring a folder ignores what is in it), or null.
 */
export function gitignoreMatch(pattern: string, base: string, file: string): string | null {
  const rel = path.relative(base, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const segments = rel.split(path.sep);
  let body = pattern.replace(/\/+$/, '');
  const anchored = body.includes('/');
  body = body.replace(/^\//, '');
  const regex = new RegExp(`^${globToRegex(body)}$`);
  // A pattern matches a path when it matches the path or any of its parent folders (ignoring a folder ignores what is in it).
  for (let end = 1; end <= segments.length; end++) {
    const candidate = anchored ? segments.slice(0, end).join('/') : segments[end - 1];
    if (regex.test(candidate)) return path.join(base, ...segments.slice(0, end));
  }
  return null;
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) out += '\\[';
      else {
        out += `[${glob
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return out;
}

function unquote(text: string): string {
  return text.replace(/^['"]|['"]$/g, '');
}

async function read(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
