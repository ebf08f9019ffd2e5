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
    assert.deepEqual(checkClearSafety({ ...base, staticRoot: '/srv/site/./collected_static/' }), {
      ok: true,
      staticRoot: '/srv/site/collected_static',
    });
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
    const win = {
      pathApi: path.win32,
      projectDir: 'C:\\Work\\Site',
      staticfilesDirs: ['C:\\Work\\Site\\assets'],
      homeDir: 'C:\\Users\\dev',
    };
    assert.match(reasonFor({ ...win, staticRoot: 'c:\\work\\site' }), /project folder itself/);
    assert.match(reasonFor({ ...win, staticRoot: 'C:\\' }), /file system root/);
    assert.equal(checkClearSafety({ ...base, ...win, staticRoot: 'C:\\Work\\Site\\static_root' }).ok, true);
  });
});

describe('client: Clear and Collect refuses source, repository, environment and system folders', () => {
  const full: ClearSafetyInput = {
    ...base,
    apps: [
      { label: 'blog', path: '/srv/site/blog' },
      { label: 'admin', path: '/usr/lib/python3/dist-packages/django/contrib/admin' },
    ],
    templateDirs: ['/srv/site/templates', '/srv/site/blog/templates'],
    settingsDir: '/srv/site/proj',
    pythonPrefixes: ['/srv/site/.venv', '/usr'],
    scan: { linkedFolders: [], markers: [] },
  };
  const refused = (input: Partial<ClearSafetyInput>): string => {
    const result = checkClearSafety({ ...full, ...input });
    assert.equal(result.ok, false, `expected a refusal for ${input.staticRoot}`);
    return (result as { reason: string }).reason;
  };

  it('still allows the ordinary STATIC_ROOTs', () => {
    assert.equal(checkClearSafety(full).ok, true);
    assert.equal(checkClearSafety({ ...full, staticRoot: '/var/www/static' }).ok, true);
    assert.equal(checkClearSafety({ ...full, staticRoot: '/srv/static' }).ok, true);
  });

  it("refuses an app's static folder, anything inside it, the app package and a folder containing it", () => {
    assert.match(refused({ staticRoot: '/srv/site/blog/static' }), /app 'blog''s static folder \/srv\/site\/blog\/static/);
    assert.match(refused({ staticRoot: '/srv/site/blog/static/collected' }), /inside app 'blog''s static folder/);
    assert.match(refused({ staticRoot: '/srv/site/blog' }), /is the package of app 'blog'/);
    assert.match(refused({ staticRoot: '/srv/site/blog/migrations' }), /is inside the package of app 'blog'/);
  });

  it('refuses template folders and the settings package', () => {
    assert.match(refused({ staticRoot: '/srv/site/templates' }), /is the templates folder \/srv\/site\/templates/);
    assert.match(refused({ staticRoot: '/srv/site/templates/static' }), /is inside the templates folder/);
    assert.match(refused({ staticRoot: '/srv/site/proj' }), /is the settings package/);
    assert.match(refused({ staticRoot: '/srv/site/proj/static' }), /is inside the settings package/);
  });

  it('does not treat the whole project as a source folder when settings, an app or templates sit at its top', () => {
    assert.equal(
      checkClearSafety({ ...full, settingsDir: '/srv/site', templateDirs: ['/srv/site'], apps: [{ label: 'site', path: '/srv/site' }] }).ok,
      true,
    );
  });

  it('refuses .git folders, repositories, virtualenvs and the Python environment', () => {
    assert.match(refused({ staticRoot: '/srv/site/.git' }), /\.git folder/);
    assert.match(refused({ staticRoot: '/srv/site/.git/objects' }), /\.git folder/);
    assert.match(refused({ staticRoot: '/srv/checkout', scan: { linkedFolders: [], markers: ['.git'] } }), /holds a Git repository/);
    assert.match(refused({ staticRoot: '/srv/site/.venv' }), /is the Python environment \/srv\/site\/.venv/);
    assert.match(refused({ staticRoot: '/srv/site/.venv/static' }), /inside the Python environment/);
    assert.match(refused({ staticRoot: '/srv/other-env', scan: { linkedFolders: [], markers: ['pyvenv.cfg'] } }), /virtual environment/);
    assert.match(refused({ staticRoot: '/srv/other', scan: { linkedFolders: [], markers: ['manage.py'] } }), /looks like a Django project/);
  });

  it('refuses system folders and anything inside the system trees', () => {
    for (const root of [
      '/usr',
      '/usr/share/static',
      '/etc',
      '/etc/nginx',
      '/bin',
      '/lib',
      '/boot',
      '/proc',
      '/sys',
      '/dev',
      '/var',
      '/opt',
      '/tmp',
      '/root',
    ]) {
      assert.match(refused({ staticRoot: root }), /system folder/, root);
    }
    const win = {
      pathApi: path.win32,
      projectDir: 'D:\\site',
      staticfilesDirs: [],
      homeDir: 'C:\\Users\\dev',
      apps: [],
      templateDirs: [],
      settingsDir: null,
      pythonPrefixes: [],
    };
    assert.match(refused({ ...win, staticRoot: 'C:\\Windows\\System32' }), /system folder C:\\Windows/);
    assert.match(refused({ ...win, staticRoot: 'c:\\program files\\app' }), /system folder/);
  });

  it('refuses a root holding symlinks to folders outside it, naming them; links inside it are fine', () => {
    const reason = refused({
      scan: { linkedFolders: [{ link: '/srv/site/collected_static/evil', target: '/srv/site/assets' }], markers: [] },
    });
    assert.match(reason, /symlinks to folders outside it \(\/srv\/site\/collected_static\/evil -> \/srv\/site\/assets\)/);
    const inside = { linkedFolders: [{ link: '/srv/site/collected_static/alias', target: '/srv/site/collected_static/css' }], markers: [] };
    assert.equal(checkClearSafety({ ...full, scan: inside }).ok, true);
  });
});
