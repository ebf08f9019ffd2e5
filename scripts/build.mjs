// Bundles each entry point (client, server, CLI) with esbuild and copies the Python helper beside them.
import { build, context } from 'esbuild';
import { cpSync, mkdirSync, chmodSync, existsSync } from 'node:fs';

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

const entries = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
];
if (existsSync('client/src/extension.ts')) {
  entries.push({ entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] });
}

mkdirSync('dist', { recursive: true });
const present = entries.filter((e) => existsSync(e.entryPoints[0]));
if (existsSync('server/python')) cpSync('server/python', 'dist/python', { recursive: true, filter: (src) => !src.includes('__pycache__') });
if (watch) {
  // Rebuilds each bundle on save (the Python helper is copied once: restart after editing it).
  for (const entry of present) await (await context({ ...common, ...entry, logLevel: 'info' })).watch();
  console.log('Watching client, server and CLI sources; Ctrl+C stops.');
} else {
  await Promise.all(present.map((e) => build({ ...common, ...e })));
}
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
