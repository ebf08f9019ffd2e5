// Bundles each entry point (client, server, CLI) with esbuild and copies the Python helper beside them.
import { build } from 'esbuild';
import { cpSync, mkdirSync, chmodSync, existsSync } from 'node:fs';

const production = process.argv.includes('--production');
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
await Promise.all(entries.filter((e) => existsSync(e.entryPoints[0])).map((e) => build({ ...common, ...e })));
if (existsSync('server/python')) cpSync('server/python', 'dist/python', { recursive: true, filter: (src) => !src.includes('__pycache__') });
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
