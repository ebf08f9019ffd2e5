/**
 * Starts a bundle through a V8 code cache: the bundle is compiled with the bytecode a previous start saved,
 * instead of parsing 1.4 MB of JavaScript and compiling each function on its first call. The cache is made
 * once the bundle says its start-up functions ran (hotPaths.ts), written atomically to a folder the tool
 * owns, and keyed by the bundle's content and everything V8 checks (its version, the flags). Whatever goes
 * wrong with it (no folder, a foreign or damaged file, a rejected cache) costs only the cache, never the start.
 *
 * This module is the whole of the loaders dist/server.js and dist/cli.js: it imports nothing of the tool's.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { HOT_PATHS_RAN, LAUNCH_STATE, LaunchState } from './hotPaths';

/** The environment variable naming the cache folder (an absolute path), or `off` for none. */
export const CODE_CACHE_ENV = 'DJANGO_STATIC_CODE_CACHE';
/** After the bundle's signal, so the answer it just gave goes out before the cache is serialised (~20 ms). */
const WRITE_DELAY_MS = 100;
/** Cache files kept per bundle: other versions, node versions and flags each have their own. */
const KEEP_FILES = 4;
const MAGIC = 'django-static-files code cache 1';

export interface LaunchOptions {
  /** Absolute path of the bundle to run. */
  bundle: string;
  /** The bundle's content hash, written into the loader by the build. */
  buildId: string;
  /** V8 flags the bundle runs under, set before it is compiled (the cache depends on them). */
  v8Flags?: string[];
}

/** Runs `bundle` as the main module would run, through the code cache when one can be used. */
export function launch(options: LaunchOptions): void {
  if (options.v8Flags?.length) v8.setFlagsFromString(options.v8Flags.join(' '));
  const state: LaunchState = { cache: 'off' };
  (globalThis as Record<symbol, unknown>)[LAUNCH_STATE] = state;
  const source = fs.readFileSync(options.bundle, 'utf8');
  const cache = cacheFile(options, state);
  const cachedData = cache ? readCache(cache, state) : undefined;
  const script = new vm.Script(Module.wrap(source.startsWith('#!') ? `//${source.slice(2)}` : source), {
    filename: options.bundle,
    cachedData,
  });
  if (cachedData && script.cachedDataRejected) state.cache = 'rejected';
  else if (cachedData) state.cache = 'used';
  if (cache && state.cache !== 'used') {
    let asked = false;
    (globalThis as Record<symbol, unknown>)[HOT_PATHS_RAN] = () => {
      if (asked) return;
      asked = true;
      setTimeout(() => writeCache(cache, script, state), WRITE_DELAY_MS).unref();
    };
  }
  const mod = new Module(options.bundle, require.main);
  mod.filename = options.bundle;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(mod.exports, mod.exports, Module.createRequire(options.bundle), mod, options.bundle, path.dirname(options.bundle));
}

/** The cache folder: the variable's absolute path, else XDG_CACHE_HOME or ~/.cache; undefined for none. */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env[CODE_CACHE_ENV];
  if (chosen !== undefined && chosen !== '') return chosen !== 'off' && path.isAbsolute(chosen) ? chosen : undefined;
  // XDG: a relative path in the variable is invalid and is ignored.
  const xdg = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  const home = os.homedir();
  const base = xdg ?? (home ? path.join(home, '.cache') : undefined);
  return base ? path.join(base, 'django-static-files', 'code-cache') : undefined;
}

interface CacheFile {
  folder: string;
  file: string;
  prefix: string;
  /** Everything the cached bytecode depends on; the file starts with it and must match exactly. */
  header: Buffer;
}

function cacheFile(options: LaunchOptions, state: LaunchState): CacheFile | undefined {
  const folder = cacheFolder();
  if (!folder) return undefined;
  try {
    const stat = fs.statSync(options.bundle);
    const key = JSON.stringify([
      options.buildId,
      stat.size,
      stat.mtimeMs,
      process.version,
      process.arch,
      process.execArgv,
      process.env.NODE_OPTIONS ?? '',
      options.v8Flags ?? [],
    ]);
    const prefix = `${path.basename(options.bundle, '.js')}-`;
    state.cache = 'absent';
    return {
      folder,
      file: path.join(folder, `${prefix}${fnv(key)}.v8cache`),
      prefix,
      header: Buffer.from(`${MAGIC}\n${key}\n`),
    };
  } catch {
    return undefined;
  }
}

/** The cached data when the file is ours, for this key, and whole (V8 itself does not check the payload). */
function readCache(cache: CacheFile, state: LaunchState): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(cache.file);
  } catch {
    return undefined; // none yet (or unreadable): made after this start
  }
  const start = cache.header.length + 4;
  if (bytes.length <= start || !bytes.subarray(0, cache.header.length).equals(cache.header)) {
    state.cache = 'foreign';
    return undefined;
  }
  const data = bytes.subarray(start);
  if (bytes.readUInt32LE(cache.header.length) !== checksum(data)) {
    state.cache = 'damaged';
    return undefined;
  }
  return data;
}

function writeCache(cache: CacheFile, script: vm.Script, state: LaunchState): void {
  const temp = `${cache.file}.${process.pid}.tmp`;
  try {
    const data = script.createCachedData();
    const sum = Buffer.alloc(4);
    sum.writeUInt32LE(checksum(data));
    fs.mkdirSync(cache.folder, { recursive: true });
    fs.writeFileSync(temp, Buffer.concat([cache.header, sum, data]));
    fs.renameSync(temp, cache.file);
    state.written = cache.file;
    prune(cache);
  } catch {
    fs.rm(temp, { force: true }, () => undefined);
  }
}

/** Keeps the newest few cache files of this bundle: each rebuild or node upgrade makes a new one. */
function prune(cache: CacheFile): void {
  const files = fs
    .readdirSync(cache.folder)
    .filter((name) => name.startsWith(cache.prefix) && name.endsWith('.v8cache'))
    .map((name) => {
      const file = path.join(cache.folder, name);
      return { file, mtime: fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0 };
    })
    .sort((a, b) => b.mtime - a.mtime);
  for (const { file } of files.slice(KEEP_FILES)) fs.rmSync(file, { force: true });
}

/** CRC-32 where node has it (20.15 and later), else a 32-bit FNV-1a over the data's words. */
function checksum(data: Buffer): number {
  const zlib = require('node:zlib') as { crc32?: (data: Uint8Array) => number };
  if (zlib.crc32) return zlib.crc32(data) >>> 0;
  let hash = 0x811c9dc5;
  const whole = data.length & ~3;
  // A copy is aligned for the word view (the data sits after the header in the file's buffer).
  const words = new Int32Array(data.buffer.slice(data.byteOffset, data.byteOffset + whole));
  for (let i = 0; i < words.length; i++) hash = Math.imul(hash ^ words[i], 0x01000193);
  for (let i = whole; i < data.length; i++) hash = Math.imul(hash ^ data[i], 0x01000193);
  return hash >>> 0;
}

function fnv(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
