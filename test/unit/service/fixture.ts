/** The shared project used by the feature tests: dirs, a prefixed dir, apps, a shadowed and an ignored file. */
import { makeContext, ProjectSpec } from './helpers';

export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d2b5e10000000049454e44ae426082',
  'hex',
);

export const FILES: Record<string, string | Buffer> = {
  'assets/css/site.css': 'body{}',
  'assets/css/print.css': '@media print{}',
  'assets/img/logo.png': PNG,
  'assets/js/app.js': 'console.log(1)',
  'assets/.well-known/x.txt': 'dot folder: collectstatic skips it',
  'assets/backup.css~': 'tilde: collectstatic skips it',
  'vendor/htmx/htmx.min.js': '/* htmx */',
  'legacy/static/css/site.css': 'legacy{}',
  'blog/static/blog/css/blog.css': '.blog{}',
  'templates/base.html': '',
};

export const SPEC: ProjectSpec = { dirs: ['assets', ['vendor', 'vendor']], apps: ['legacy', 'blog'] };

export function demoContext(spec: ProjectSpec = {}, extra: Parameters<typeof makeContext>[2] = {}) {
  return makeContext(FILES, { ...SPEC, ...spec }, extra);
}
