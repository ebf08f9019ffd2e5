/**
 * Third-party Django apps real projects use (django-jinja, django-environ, python-decouple), for tests only:
 * Debian's own packages fetched with `apt-get download` and unpacked with `dpkg-deb -x` into a cache outside
 * the repository, never installed. Null when apt cannot fetch them (no network): the tests then skip with a message.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CACHE =
  process.env.DJANGO_THIRD_PARTY_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'django-static-files', 'thirdparty');

/** The dist-packages folder holding the named Debian packages (e.g. python3-django-jinja), or null. */
export function thirdPartySitePackages(packages: string[]): string | null {
  const site = path.join(CACHE, 'root', 'usr', 'lib', 'python3', 'dist-packages');
  const marker = (name: string) => readdirSafe(CACHE).some((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'));
  try {
    mkdirSync(CACHE, { recursive: true });
    for (const name of packages) {
      if (!marker(name)) execFileSync('apt-get', ['download', name], { cwd: CACHE, stdio: 'ignore', timeout: 60000 });
      const deb = readdirSafe(CACHE).find((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'));
      if (!deb) return null;
      execFileSync('dpkg-deb', ['-x', path.join(CACHE, deb), path.join(CACHE, 'root')], { stdio: 'ignore' });
    }
  } catch {
    return null;
  }
  return existsSync(site) ? site : null;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
