/** The layout findings of `check --project` on a project that breaks each rule once. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadProject } from '../../server/src/engine/project';
import { layoutFindings } from '../../server/src/engine/staticLayout';
import { DJANGO_PYTHON } from '../djangoVersions';

function write(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

describe('static layout findings', () => {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsf-layout-'));
    write(dir, 'manage.py', "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n");
    write(dir, 'proj/__init__.py', '');
    write(
      dir,
      'proj/settings.py',
      "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nINSTALLED_APPS = ['django.contrib.staticfiles', 'blog', 'shop']\nSTATIC_URL = '/static/'\nSTATIC_ROOT = BASE_DIR / 'assets' / 'collected'\nSTATICFILES_DIRS = [BASE_DIR / 'assets', BASE_DIR / 'shop' / 'static']\n",
    );
    write(dir, 'blog/__init__.py', '');
    write(dir, 'blog/static/style.css', 'a{}');
    write(dir, 'blog/static/blog/ok.css', 'a{}');
    write(dir, 'blog/static/.hidden', '');
    write(dir, 'shop/__init__.py', '');
    write(dir, 'shop/static/shop/x.css', 'a{}');
    write(dir, 'assets/site.css', 'a{}');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

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
