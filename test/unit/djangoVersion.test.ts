import * as assert from 'node:assert/strict';
import { behaviourOf, parseMajorMinor, versionCaveat } from '../../server/src/engine/djangoVersion';
import { loadProject } from '../../server/src/engine/project';
import { makeProject, removeTree } from './djangoFixtures';
import * as fs from 'node:fs';
import * as path from 'node:path';

describe('engine/djangoVersion', () => {
  it('parses the versions Django prints', () => {
    assert.deepEqual(parseMajorMinor('4.2.28'), [4, 2]);
    assert.deepEqual(parseMajorMinor('6.0a1'), [6, 0]);
    assert.deepEqual(parseMajorMinor('5.2'), [5, 2]);
    assert.equal(parseMajorMinor('unknown'), null);
    assert.equal(parseMajorMinor(null), null);
  });

  it('assumes the newest tested version when the version is unknown, and says so', () => {
    const b = behaviourOf(null);
    assert.equal(b.assumed, true);
    assert.deepEqual(b.version, [5, 2]);
    assert.match(versionCaveat(null)!, /could not be told; Django 5\.2 behaviour is assumed/);
  });

  it('models Django 6.x from 5.2 behaviour and says it is untested', () => {
    const b = behaviourOf('6.0.1');
    assert.equal(b.untested, true);
    assert.equal(b.readsStaticfilesStorage, false);
    assert.equal(b.appFinderSeesBrokenLinks, true);
    assert.match(versionCaveat('6.0.1')!, /Django 6\.0\.1 is newer than the newest version tested \(5\.2\)/);
    assert.equal(versionCaveat('5.2.18'), null);
    assert.equal(versionCaveat('3.2.25'), null);
    assert.match(versionCaveat('2.2.28')!, /older than the oldest version tested \(3\.2\)/);
  });

  it('puts the caveat among the problems `info` and the report list when static mode finds Django 6', async () => {
    const site = fs.mkdtempSync('/tmp/djstatic-site-');
    fs.mkdirSync(path.join(site, 'django'), { recursive: true });
    fs.writeFileSync(path.join(site, 'django/__init__.py'), "VERSION = (6, 0, 0, 'final', 0)\n");
    const dir = makeProject('INSTALLED_APPS = []\n');
    const saved = process.env.PYTHONPATH;
    process.env.PYTHONPATH = site;
    try {
      const { model } = await loadProject(dir, { mode: 'static', allowExecute: false });
      assert.equal(model.djangoVersion, '6.0');
      assert.deepEqual(
        model.problems.filter((p) => p.kind === 'django-version-untested').map((p) => p.message),
        ['Django 6.0 is newer than the newest version tested (5.2); its behaviour is modelled from the release notes.'],
      );
    } finally {
      if (saved === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved;
      removeTree(dir);
      removeTree(site);
    }
  });
});
