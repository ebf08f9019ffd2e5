// Clear and Collect's refusal rules: a pure function, no vscode.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkClearSafety, ClearSafetyInput } from '../../client/src/clientSafety';

const base: ClearSafetyInput = {
  staticRoot: '/srv/site/collected_static',
  projectDir: '/srv/site',
  staticfilesDirs: ['/srv/site/assets', '/srv/site/vendor'],
  homeDir: '/home/dev',
  pathApi: path.posix,
};

function reasonFor(input: Partial<ClearSafetyInput>): string {
  const result = checkClearSafety({ ...base, ...input });
  assert.equal(result.ok, false, `expected a refusal for STATIC_ROOT ${input.staticRoot}`);
  return (result as { reason: string }).reason;
}

describe('client: Clear and Collect safety', () => {
  it('allows a dedicated STATIC_ROOT inside the project and normalises it', () => {
    assert.deepEqual(checkClearSafety(base), { ok: true, staticRoot: '/srv/site/collected_static' });
    assert.deepEqual(checkClearSafety({ ...base, staticRoot: '/srv/site/./collected_static/' }), { ok: true, staticRoot: '/srv/site/collected_static' });
  });

  it('allows a STATIC_ROOT outside the project', () => {
    assert.equal(checkClearSafety({ ...base, staticRoot: '/var/www/static' }).ok, true);
  });

  it('refuses when STATIC_ROOT is unset, empty or relative', () => {
    assert.match(reasonFor({ staticRoot: null }), /STATIC_ROOT is not set/);
    assert.match(reasonFor({ staticRoot: '   ' }), /STATIC_ROOT is not set/);
    assert.match(reasonFor({ staticRoot: 'static' }), /not an absolute path/);
  });

  it('refuses the file system root and the home folder or anything containing it', () => {
    assert.match(reasonFor({ staticRoot: '/' }), /file system root/);
    assert.match(reasonFor({ staticRoot: '/home/dev' }), /your home folder/);
    assert.match(reasonFor({ staticRoot: '/home/dev/' }), /your home folder/);
    assert.match(reasonFor({ staticRoot: '/home' }), /contains your home folder/);
  });

  it('refuses the project folder and its ancestors, naming them', () => {
    assert.match(reasonFor({ staticRoot: '/srv/site' }), /project folder itself \(\/srv\/site\)/);
    assert.match(reasonFor({ staticRoot: '/srv' }), /contains the project folder \/srv\/site/);
  });

  it('refuses a STATICFILES_DIRS entry, a folder containing one, or a folder inside one', () => {
    assert.match(reasonFor({ staticRoot: '/srv/site/assets' }), /also a STATICFILES_DIRS entry/);
    const outside = { projectDir: '/srv/app', staticfilesDirs: ['/data/shared/static'] };
    assert.match(reasonFor({ ...outside, staticRoot: '/data/shared' }), /contains the STATICFILES_DIRS entry \/data\/shared\/static/);
    assert.match(reasonFor({ staticRoot: '/srv/site/assets/collected' }), /inside the STATICFILES_DIRS entry \/srv\/site\/assets/);
  });

  it('does not confuse sibling folders sharing a name prefix', () => {
    assert.equal(checkClearSafety({ ...base, staticRoot: '/srv/site/assets-collected' }).ok, true);
    assert.equal(checkClearSafety({ ...base, staticRoot: '/home/developer-static', homeDir: '/home/dev' }).ok, true);
  });

  it('resolves relative STATICFILES_DIRS entries against the project', () => {
    assert.match(reasonFor({ staticRoot: '/srv/site/assets', staticfilesDirs: ['assets'] }), /STATICFILES_DIRS entry/);
  });

  it('compares Windows paths case-insensitively', () => {
    const win = { pathApi: path.win32, projectDir: 'C:\\Work\\Site', staticfilesDirs: ['C:\\Work\\Site\\assets'], homeDir: 'C:\\Users\\dev' };
    assert.match(reasonFor({ ...win, staticRoot: 'c:\\work\\site' }), /project folder itself/);
    assert.match(reasonFor({ ...win, staticRoot: 'C:\\' }), /file system root/);
    assert.equal(checkClearSafety({ ...base, ...win, staticRoot: 'C:\\Work\\Site\\static_root' }).ok, true);
  });
});
