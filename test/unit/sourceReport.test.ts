/**
 * The Static Files Report filtered to one source (what a settings code lens opens): only that source's files,
 * the copies it hides and its own copies hidden by earlier sources, with the lens's counts.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadProject } from '../../server/src/engine/project';
import { settingsLenses } from '../../server/src/engine/settingsLenses';
import { readSettingsSource } from '../../server/src/engine/staticMode/settingsSource';
import { projectReport } from '../../server/src/workspace/report';
import { MANAGE_PY, makeTree, removeTree } from './djangoFixtures';

const SETTINGS = `from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
INSTALLED_APPS = ['django.contrib.staticfiles', 'blog']
STATIC_URL = '/static/'
STATICFILES_DIRS = [BASE_DIR / 'assets', BASE_DIR / 'more']
`;

describe('workspace/report filtered to one source', function () {
  this.timeout(30000);
  let dir: string;
  before(() => {
    dir = makeTree({
      'manage.py': MANAGE_PY,
      'proj/__init__.py': '',
      'proj/settings.py': SETTINGS,
      'assets/css/a.css': '',
      'assets/css/shared.css': '',
      'more/css/shared.css': '',
      'more/js/b.js': '',
      'blog/__init__.py': '',
      'blog/static/css/shared.css': '',
      'blog/static/js/b.js': '',
      'blog/static/blog/x.js': '',
    });
  });
  after(() => removeTree(dir));

  it('lists what the source provides, shadows and is shadowed by, and nothing of the other sources', async () => {
    const { model, index } = await loadProject(dir, { mode: 'static', allowExecute: false });
    const more = index.sources.find((s) => s.root === path.join(dir, 'more'))!;
    const report = projectReport({ model, index }, '# whole', more.order);
    assert.equal(report.filteredTo, more.label);
    const md = report.markdown;
    assert.match(md, /\*\*Filtered to\*\* STATICFILES\\_DIRS\\\[1\\\] → .*\/more: source 2 in finder order\./);
    assert.match(md, /## Files it provides \(2\)\n\n- `css\/shared\.css` \(shadowed: not collected from here\)\n- `js\/b\.js`\n/);
    assert.match(
      md,
      new RegExp(
        `## What it shadows \\(1\\)\\n\\n- \`js/b\\.js\`: collected from here; hidden: \`${path.join(dir, 'blog/static/js/b.js')}\``,
      ),
    );
    assert.match(md, new RegExp(`## What shadows it \\(1\\)\\n\\n- \`css/shared\\.css\`: \`${path.join(dir, 'assets/css/shared.css')}\``));
    for (const other of ['css/a.css', 'blog/x.js']) assert.ok(!md.includes(other), `${other} belongs to another source`);
    // The lens a click came from gives the same numbers.
    const lens = settingsLenses({ model, index, source: readSettingsSource(model)! }).find((l) => l.sourceOrder === more.order);
    assert.equal(lens?.title, '2 files · shadows 1 · shadowed by 1');
  });

  it('is the whole report without a source, and says so when the source is gone', async () => {
    const { model, index } = await loadProject(dir, { mode: 'static', allowExecute: false });
    assert.deepEqual(projectReport({ model, index }, '# whole', null), {
      projectDir: model.projectDir,
      markdown: '# whole',
      filteredTo: null,
    });
    const gone = projectReport({ model, index }, '# whole', 99);
    assert.equal(gone.filteredTo, null);
    assert.match(gone.markdown, /no longer one of the project's: showing everything\.\n\n# whole$/);
  });
});
