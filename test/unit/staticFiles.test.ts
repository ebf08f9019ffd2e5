// The Static Files view's folder listings and Find Static File's search, answered from a real index.
import * as assert from 'node:assert/strict';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { buildIndex, StaticIndex } from '../../server/src/engine/staticIndex';
import { FinderEntry } from '../../server/src/engine/model';
import { pathQuery } from '../../server/src/engine/pathSearch';
import { countFindings } from '../../server/src/workspace/report';
import { listFolder, MAX_FOLDER_CHILDREN, searchFiles } from '../../server/src/workspace/staticFiles';
import { describeCounts, RowCache } from '../../client/src/staticFilesTree';
import { app, dirEntry, makeTree, model } from './indexFixtures';

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const diag = (severity: DiagnosticSeverity, path?: string): Diagnostic => ({
  range,
  severity,
  message: 'm',
  data: path ? { path } : undefined,
});

describe('Static Files view and Find Static File: listings and search from the collect tree', () => {
  let proj: string;
  let index: StaticIndex;
  before(async () => {
    const files: Record<string, string> = {
      'assets/css/site.css': 'a',
      'assets/css/print.css': 'p',
      'assets/js/app.js': 'j',
      'assets/img/logo.svg': 's',
      'assets/img/.hidden': 'ignored by collectstatic',
      'legacy/css/site.css': 'shadowed',
      'venv/lib/site-packages/admin/static/admin/css/base.css': 'b',
    };
    for (let i = 0; i < MAX_FOLDER_CHILDREN + 20; i++) files[`assets/vendor/f${String(i).padStart(4, '0')}.js`] = '';
    proj = makeTree(files);
    const finders: FinderEntry[] = [
      { kind: 'filesystem', className: 'FileSystemFinder', dirs: [dirEntry('', `${proj}/assets`), dirEntry('', `${proj}/legacy`)] },
      { kind: 'app', className: 'AppDirectoriesFinder', apps: [app('admin', `${proj}/venv/lib/site-packages/admin`)] },
    ];
    index = await buildIndex(model(finders));
  });

  it('lists one folder at a time with counts of everything below, findings on files and the folders above them', () => {
    const findings = countFindings([
      {
        file: `${proj}/templates/base.html`,
        templates: [diag(DiagnosticSeverity.Error, 'css/sites.css'), diag(DiagnosticSeverity.Warning, 'js/app.js')],
        assets: [],
      },
      { file: `${proj}/assets/css/print.css`, templates: [], assets: [diag(DiagnosticSeverity.Warning)] },
      { file: `${proj}/legacy/css/site.css`, templates: [], assets: [diag(DiagnosticSeverity.Error)] },
    ]);
    const top = listFolder(index, { projectDir: proj, folder: '' }, findings);
    assert.deepEqual(
      top.folders.map((f) => [f.name, f.fileCount, f.shadowingCount]),
      [
        ['admin', 1, 0],
        ['css', 2, 1],
        ['img', 1, 0],
        ['js', 1, 0],
        ['vendor', MAX_FOLDER_CHILDREN + 20, 0],
      ],
    );
    assert.equal(top.folder.fileCount, MAX_FOLDER_CHILDREN + 25);
    assert.equal(top.folder.shadowingCount, 1);
    // The shadowed legacy copy's finding is in a file no row shows: not counted.
    assert.equal(describeCounts(top.folder.findings), '1 error, 2 warnings');
    const css = listFolder(index, { projectDir: proj, folder: 'css' }, findings);
    assert.deepEqual(css.folder.findings, { errors: 1, warnings: 1, others: 0 }, 'the missing css/sites.css counts on css/');
    assert.deepEqual(
      css.files.map((f) => [f.name, f.source, f.shadowed, f.findings.warnings]),
      [
        ['print.css', 'assets/', 0, 1],
        ['site.css', 'assets/', 1, 0],
      ],
    );
    assert.equal(css.files[1].absPath, `${proj}/assets/css/site.css`);
    const img = listFolder(index, { projectDir: proj, folder: 'img/' }, []);
    assert.deepEqual(
      img.files.map((f) => f.name),
      ['logo.svg'],
      "collectstatic's ignore patterns leave .hidden out",
    );
    assert.deepEqual(listFolder(index, { projectDir: proj, folder: 'nowhere' }, []).folder.fileCount, 0);
  });

  it('caps a folder at its limit and counts the rest, which the client shows as one row', () => {
    const vendor = listFolder(index, { projectDir: proj, folder: 'vendor' }, []);
    assert.equal(vendor.files.length, MAX_FOLDER_CHILDREN);
    assert.equal(vendor.more, 20);
    assert.equal(vendor.files[0].name, 'f0000.js');
    const small = listFolder(index, { projectDir: proj, folder: '', limit: 2 }, []);
    assert.deepEqual([small.folders.length, small.files.length, small.more], [2, 0, 3]);
    const rows = new RowCache();
    const first = rows.children(vendor, undefined);
    assert.equal(first.length, MAX_FOLDER_CHILDREN + 1);
    assert.deepEqual(first.at(-1), { kind: 'more', id: 'more:vendor', folder: 'vendor', count: 20, parent: undefined });
    assert.equal(rows.children(vendor, undefined)[0], first[0], 'a row stays one object while its path is shown');
  });

  it('filters to files with findings or shadowed copies, and to the files collected from given absolute paths', () => {
    const findings = [{ absPath: `${proj}/assets/js/app.js`, errors: 0, warnings: 1, others: 0 }];
    const problems = listFolder(index, { projectDir: proj, folder: '', filter: { kind: 'problems' } }, findings);
    assert.deepEqual(
      problems.folders.map((f) => f.name),
      ['css', 'js'],
    );
    assert.equal(problems.shownCount, 2);
    const css = listFolder(index, { projectDir: proj, folder: 'css', filter: { kind: 'problems' } }, findings);
    assert.deepEqual(
      css.files.map((f) => f.name),
      ['site.css'],
    );
    const absPaths = [`${proj}/assets/img/logo.svg`, `${proj}/legacy/css/site.css`, '/elsewhere/x.css'];
    const references = listFolder(index, { projectDir: proj, folder: '', filter: { kind: 'references', absPaths } }, []);
    assert.deepEqual(
      references.folders.map((f) => f.name),
      ['img'],
      'a shadowed copy is collected from nowhere',
    );
    assert.deepEqual(references.shownPaths, ['img/logo.svg']);
  });

  it("ranks the name itself first, then names starting with the query, then the project's own files before installed ones", async () => {
    const search = async (query: string) => (await searchFiles(index, proj, query, 10, () => false))!;
    const site = await search('site.css');
    assert.deepEqual(
      site.items.map((i) => [i.path, i.shadowed]),
      [['css/site.css', 1]],
    );
    const css = await search('css');
    assert.deepEqual(
      css.items.map((i) => i.path),
      ['css/site.css', 'css/print.css', 'admin/css/base.css'],
      "folder matches, own files first, shorter paths first; the admin's file last",
    );
    assert.equal((await search('CSS/SI')).items[0].path, 'css/site.css', 'a path query, case-insensitive');
    assert.deepEqual(
      (await search('vndrf0519')).items.map((i) => i.path),
      ['vendor/f0519.js'],
      "the query's characters in order",
    );
    const all = await search('');
    assert.equal(all.matchCount, MAX_FOLDER_CHILDREN + 25);
    assert.equal(all.items.length, 10);
    assert.ok(!all.items.some((i) => i.path.startsWith('admin/')), 'no installed file among the first of an empty query');
    assert.equal(await searchFiles(index, proj, 'f0', 10, () => true), null, 'a cancelled search that paused gives no answer');
  });

  it('matches a path query against the folder once and the name for the rest', () => {
    const tiers = (q: string, folder: string, name: string) => pathQuery(q).inFolder(folder).tier(name);
    assert.equal(tiers('css/site.css', 'css', 'site.css'), 0);
    assert.equal(tiers('css/site.css', 'admin/css', 'site.css'), 1, 'ends the path at a folder boundary');
    assert.equal(tiers('css/si', 'css', 'site.css'), 1);
    assert.equal(tiers('in/css', 'admin/css/x', 'a.css'), 2, 'inside the folder path');
    assert.equal(tiers('cs/st', 'css', 'site.css'), 4);
    assert.equal(tiers('js/', 'css', 'site.css'), -1);
  });
});
