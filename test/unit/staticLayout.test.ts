/** The layout findings of `check --project` on a project that breaks each rule once. */
import * as assert from 'assert';
import * as path from 'path';
import { loadProject } from '../../server/src/engine/project';
import { layoutFindings } from '../../server/src/engine/staticLayout';
import { DJANGO_PYTHON } from '../djangoVersions';
import { makeProject, removeTree } from './djangoFixtures';

describe('static layout findings', () => {
  let dir = '';
  before(() => {
    dir = makeProject(
      "INSTALLED_APPS = ['django.contrib.staticfiles', 'blog', 'shop']\nSTATIC_ROOT = BASE_DIR / 'assets' / 'collected'\nSTATICFILES_DIRS = [BASE_DIR / 'assets', BASE_DIR / 'shop' / 'static']\n",
      {
        'blog/__init__.py': '',
        'blog/static/style.css': 'a{}',
        'blog/static/blog/ok.css': 'a{}',
        'blog/static/.hidden': '',
        'shop/__init__.py': '',
        'shop/static/shop/x.css': 'a{}',
        'assets/site.css': 'a{}',
      },
    );
  });
  after(() => removeTree(dir));

  it('names the file outside its app folder, the folder reached twice and STATIC_ROOT inside a source', async () => {
    const { model, index } = await loadProject(dir, { mode: 'static', python: DJANGO_PYTHON });
    const found = layoutFindings(model, index).map((f) => [f.code, path.relative(dir, f.path)]);
    assert.deepStrictEqual(found, [
      ['static-not-namespaced', 'blog/static/style.css'],
      ['static-folder-twice', 'shop/static'],
      ['static-root-overlap', 'assets/collected'],
    ]);
  });
});
