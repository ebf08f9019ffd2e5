/**
 * fsAsync stands in for fs.promises on the start-up's path (loading fs.promises cost the first answer
 * 5-10 ms): each call must resolve and reject as the fs.promises one does.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fsAsync } from '../../server/src/engine/fsAsync';

describe('fsAsync: the start-up calls answer as fs.promises does', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-fsasync-'));
    fs.mkdirSync(path.join(root, 'sub'));
    fs.writeFileSync(path.join(root, 'manage.py'), "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x.settings')\n");
    fs.symlinkSync(path.join(root, 'manage.py'), path.join(root, 'link.py'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const settle = <T>(p: Promise<T>) =>
    p.then(
      (value) => ({ value }),
      (err: NodeJS.ErrnoException) => ({ code: err.code, syscall: err.syscall }),
    );
  const same = async (what: string, ours: () => Promise<unknown>, theirs: () => Promise<unknown>) =>
    assert.deepStrictEqual(await settle(ours()), await settle(theirs()), what);

  it('reads, lists and stats the same, and fails with the same codes', async () => {
    const file = path.join(root, 'manage.py');
    const missing = path.join(root, 'nope.py');
    await same(
      'readFile',
      () => fsAsync.readFile(file, 'utf8'),
      () => fs.promises.readFile(file, 'utf8'),
    );
    await same(
      'readFile missing',
      () => fsAsync.readFile(missing, 'utf8'),
      () => fs.promises.readFile(missing, 'utf8'),
    );
    await same(
      'readFile of a folder',
      () => fsAsync.readFile(root, 'utf8'),
      () => fs.promises.readFile(root, 'utf8'),
    );
    const names = (entries: fs.Dirent[]) => entries.map((e) => [e.name, e.isFile(), e.isDirectory(), e.isSymbolicLink()]).sort();
    await same(
      'readdir withFileTypes',
      async () => names(await fsAsync.readdir(root, { withFileTypes: true })),
      async () => names(await fs.promises.readdir(root, { withFileTypes: true })),
    );
    await same(
      'readdir',
      async () => (await fsAsync.readdir(root)).sort(),
      async () => (await fs.promises.readdir(root)).sort(),
    );
    await same(
      'readdir missing',
      () => fsAsync.readdir(missing),
      () => fs.promises.readdir(missing),
    );
    const kind = (s: fs.Stats) => [s.isFile(), s.isDirectory(), s.isSymbolicLink(), s.size];
    const link = path.join(root, 'link.py');
    await same(
      'stat through a link',
      async () => kind(await fsAsync.stat(link)),
      async () => kind(await fs.promises.stat(link)),
    );
    await same(
      'lstat of a link',
      async () => kind(await fsAsync.lstat(link)),
      async () => kind(await fs.promises.lstat(link)),
    );
    await same(
      'stat missing',
      () => fsAsync.stat(missing),
      () => fs.promises.stat(missing),
    );
    await same(
      'access',
      () => fsAsync.access(file),
      () => fs.promises.access(file),
    );
    await same(
      'access missing',
      () => fsAsync.access(missing),
      () => fs.promises.access(missing),
    );
  });
});
