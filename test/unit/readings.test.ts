// Comparing the first (static) reading of a project with the final one: what decides whether the index is
// kept, what is logged as a static-mode gap, and whether the first reading may be served at all.
import * as assert from 'node:assert/strict';
import { FinderEntry, ProjectModel } from '../../server/src/engine/model';
import { compareReadings, mayMissSources } from '../../server/src/engine/readings';

function model(finders: FinderEntry[], extra: Partial<ProjectModel> = {}): ProjectModel {
  return {
    projectDir: '/p',
    managePy: '/p/manage.py',
    settingsModule: 'p.settings',
    settingsFiles: [],
    mode: 'static',
    modeReason: '',
    python: null,
    djangoVersion: '3.2.25',
    staticUrl: '/static/',
    staticRoot: null,
    storage: 'django.contrib.staticfiles.storage.StaticFilesStorage',
    manifestStorage: false,
    debug: false,
    staticfilesInstalled: true,
    ignorePatterns: ['CVS', '.*', '*~'],
    finders,
    templates: [],
    checks: [],
    problems: [],
    ...extra,
  };
}

const dirs = (...roots: string[]): FinderEntry => ({
  kind: 'filesystem',
  className: 'django.contrib.staticfiles.finders.FileSystemFinder',
  dirs: roots.map((root) => ({ prefix: '', rootAsWritten: root, root, listPrefix: '' })),
});
const apps = (...names: string[]): FinderEntry => ({
  kind: 'app',
  className: 'django.contrib.staticfiles.finders.AppDirectoriesFinder',
  apps: names.map((name) => ({ name, label: name, path: `/p/${name}`, staticDir: `/p/${name}/static`, templatesDir: null })),
});

describe('engine/readings', () => {
  it('finds nothing to redo when both readings name the same sources and settings', () => {
    const d = compareReadings(
      model([dirs('/p/assets'), apps('blog')]),
      model([dirs('/p/assets'), apps('blog')], { mode: 'django', python: '/usr/bin/python3' }),
    );
    assert.deepEqual(d, { onlyLater: [], onlyEarlier: [], reordered: false, sourcesDiffer: false, settingsDiffer: false });
  });

  it('names a source only Django mode sees, one only static mode saw, and a different order', () => {
    const d = compareReadings(
      model([dirs('/p/assets', '/p/old'), apps('blog', 'shop')]),
      model([dirs('/p/assets', '/p/extra'), apps('shop', 'blog')]),
    );
    assert.deepEqual(d.onlyLater, ['STATICFILES_DIRS /p/extra']);
    assert.deepEqual(d.onlyEarlier, ['STATICFILES_DIRS /p/old']);
    assert.equal(d.reordered, true);
    assert.equal(d.sourcesDiffer, true);
  });

  it('rebuilds the index when only the ignore patterns differ, and re-checks everything when STATIC_URL does', () => {
    assert.equal(compareReadings(model([]), model([], { ignorePatterns: ['CVS'] })).sourcesDiffer, true);
    const d = compareReadings(model([]), model([], { staticUrl: '/assets/' }));
    assert.equal(d.settingsDiffer, true);
    assert.equal(d.sourcesDiffer, false);
  });

  it('serves a static reading only when it read every setting it watches', () => {
    assert.equal(mayMissSources(model([])), false);
    assert.equal(mayMissSources(model([], { problems: [{ kind: 'setting-unreadable', message: 'STATICFILES_DIRS' }] })), true);
    assert.equal(mayMissSources(model([], { problems: [{ kind: 'apps-not-unique', message: 'labels' }] })), false);
    assert.equal(mayMissSources(model([], { mode: 'django', problems: [{ kind: 'python-timeout', message: '' }] })), false);
  });
});
