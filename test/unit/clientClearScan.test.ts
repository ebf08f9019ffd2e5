// What Clear and Collect counts and names before asking: Django's clear_dir follows symlinked folders.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clearConfirmation, scanStaticRoot } from '../../client/src/clearScan';
import { makeTree, removeTree } from './djangoFixtures';

describe('client: what collectstatic --clear would delete', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach(removeTree));

  it('counts files through symlinked folders, names the links, survives a loop', async () => {
    const dir = fs.realpathSync(
      makeTree({ 'collected/css/a.css': '', 'collected/b.js': '', 'assets/x.css': '', 'assets/y.css': '', 'assets/img/z.png': '' }),
    );
    dirs.push(dir);
    fs.symlinkSync('../assets', path.join(dir, 'collected/evil'));
    fs.symlinkSync('.', path.join(dir, 'collected/css/self'));
    fs.symlinkSync('/nonexistent', path.join(dir, 'collected/broken'));
    const scan = await scanStaticRoot(path.join(dir, 'collected'));
    assert.equal(scan.files, 2 + 3 + 1, 'a.css, b.js, three files through evil, the broken link');
    assert.equal(scan.throughLinks, 3);
    assert.deepEqual(scan.linkedFolders.map((l) => [path.basename(l.link), l.target]).sort(), [
      ['evil', path.join(dir, 'assets')],
      ['self', path.join(dir, 'collected/css')],
    ]);
    assert.match(
      clearConfirmation(path.join(dir, 'collected'), scan),
      /^Delete 6 files in .*collected \(3 of them through symlinked folders (evil|self) -> /,
    );
  });

  it('finds markers of a repository, a virtualenv or a project at the top', async () => {
    const dir = makeTree({ '.git/HEAD': '', 'pyvenv.cfg': '', 'manage.py': '' });
    dirs.push(dir);
    assert.deepEqual((await scanStaticRoot(dir)).markers, ['.git', 'pyvenv.cfg', 'manage.py']);
    assert.equal((await scanStaticRoot(path.join(dir, 'missing'))).files, 0);
  });
});
