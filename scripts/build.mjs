// Bundles each entry point (client, server, CLI) with esbuild and copies the Python helper beside them.
// The server and the CLI are each a bundle plus a small loader (server/src/launch) that starts it through
// a V8 code cache; the loader carries the bundle's content hash, which keys the cache.
import { build, context } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, chmodSync, existsSync, readFileSync } from 'node:fs';

/**
 * Node modules the bundled libraries require at load time but the first answer never uses (vscode-jsonrpc
 * takes crypto for random ids, vscode-languageserver child_process): in what node_modules requires, each
 * becomes a stand-in that loads the module on its first property access, so a start does not pay for it.
 * (The tool's own sources require them where they are used; an ES import would copy every property at once.)
 */
const LAZY_BUILTINS = ['crypto', 'child_process'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-builtin' || !/[\\/]node_modules[\\/]/.test(args.importer)
        ? { path: args.path, external: true }
        : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let real;
const load = () => (real ??= require('node:${args.path}'));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const own = Object.getOwnPropertyDescriptor(load(), key);
    return own && { ...own, configurable: true };
  },
});`,
      loader: 'js',
    }));
  },
};

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const bundles = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-bundle.js', plugins: [lazyBuiltins] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server-bundle.js', plugins: [lazyBuiltins] },
];
if (existsSync('client/src/extension.ts')) {
  bundles.push({ entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] });
}
/** Each loader with the bundle it starts. */
const loaders = [
  {
    entryPoints: ['server/src/launch/cliEntry.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    starts: 'dist/cli-bundle.js',
  },
  { entryPoints: ['server/src/launch/serverEntry.ts'], outfile: 'dist/server.js', starts: 'dist/server-bundle.js' },
];
const loaderOptions = ({ starts, ...entry }) => ({
  ...common,
  ...entry,
  sourcemap: false,
  define: { BUNDLE_ID: JSON.stringify(createHash('sha256').update(readFileSync(starts)).digest('hex').slice(0, 16)) },
});

mkdirSync('dist', { recursive: true });
const present = bundles.filter((e) => existsSync(e.entryPoints[0]));
if (existsSync('server/python')) cpSync('server/python', 'dist/python', { recursive: true, filter: (src) => !src.includes('__pycache__') });
if (watch) {
  // Rebuilds each bundle on save (the Python helper is copied once: restart after editing it). The loaders
  // keep the first build's hash; the cache key also holds the bundle's size and time, so it still changes.
  await Promise.all(present.map((e) => build({ ...common, ...e })));
  for (const loader of loaders) await build(loaderOptions(loader));
  for (const entry of present) await (await context({ ...common, ...entry, logLevel: 'info' })).watch();
  console.log('Watching client, server and CLI sources; Ctrl+C stops.');
} else {
  await Promise.all(present.map((e) => build({ ...common, ...e })));
  await Promise.all(loaders.map((loader) => build(loaderOptions(loader))));
}
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
