// The Static Files view's model: folders, findings counted on files and the folders above them, filters.
import * as assert from 'node:assert/strict';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { buildTree, childrenOf, describeCounts, FolderNode, shownFiles } from '../../client/src/staticFilesTree';
import { countFindings } from '../../server/src/workspace/report';

const files = [
  { path: 'css/site.css', absPath: '/p/assets/css/site.css', source: 'assets/', shadowed: 1 },
  { path: 'css/print.css', absPath: '/p/assets/css/print.css', source: 'assets/', shadowed: 0 },
  { path: 'js/app.js', absPath: '/p/assets/js/app.js', source: 'assets/', shadowed: 0 },
  { path: 'img/logo.svg', absPath: '/p/assets/img/logo.svg', source: 'assets/', shadowed: 0 },
];
const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const diag = (severity: DiagnosticSeverity, path?: string): Diagnostic => ({
  range,
  severity,
  message: 'm',
  data: path ? { path } : undefined,
});

const folderOf = (root: FolderNode, name: string) => root.folders.get(name) as FolderNode;

describe('client: Static Files view model', () => {
  it('counts template findings by the path they are about and CSS/JS findings by their file; findings about no path are left out', () => {
    const counted = countFindings([
      {
        file: '/p/templates/base.html',
        templates: [
          diag(DiagnosticSeverity.Error, 'css/sites.css'),
          diag(DiagnosticSeverity.Warning, 'js/app.js'),
          diag(DiagnosticSeverity.Error),
        ],
        assets: [],
      },
      { file: '/p/templates/other.html', templates: [diag(DiagnosticSeverity.Information, 'js/app.js')], assets: [] },
      { file: '/p/assets/css/print.css', templates: [], assets: [diag(DiagnosticSeverity.Warning), diag(DiagnosticSeverity.Error)] },
    ]);
    assert.deepEqual(counted, [
      { path: 'css/sites.css', errors: 1, warnings: 0, others: 0 },
      { path: 'js/app.js', errors: 0, warnings: 1, others: 1 },
      { absPath: '/p/assets/css/print.css', errors: 1, warnings: 1, others: 0 },
    ]);

    const root = buildTree(files, counted);
    const css = folderOf(root, 'css');
    const js = folderOf(root, 'js');
    assert.deepEqual(css.findings, { errors: 2, warnings: 1, others: 0 }, 'the missing css/sites.css counts on css/');
    assert.deepEqual(css.files.find((f) => f.name === 'print.css')?.findings, { errors: 1, warnings: 1, others: 0 });
    assert.deepEqual(js.files[0].findings, { errors: 0, warnings: 1, others: 1 });
    assert.deepEqual(root.findings, { errors: 2, warnings: 2, others: 1 });
    assert.equal(describeCounts(root.findings), '2 errors, 2 warnings, 1 note');
    assert.equal(describeCounts(folderOf(root, 'img').findings), '');
  });

  it('filters to files with findings or shadowed copies, and to the files a template references, leaving empty folders out', () => {
    const root = buildTree(files, [{ absPath: '/p/assets/js/app.js', errors: 0, warnings: 1, others: 0 }]);
    assert.deepEqual(
      shownFiles(root, { kind: 'problems' }).map((f) => f.file.path),
      ['css/site.css', 'js/app.js'],
    );
    assert.deepEqual(
      childrenOf(root, { kind: 'problems' }).map((n) => n.name),
      ['css', 'js'],
    );
    const references = { kind: 'references' as const, absPaths: new Set(['/p/assets/img/logo.svg']) };
    assert.deepEqual(
      childrenOf(root, references).map((n) => n.name),
      ['img'],
    );
    assert.deepEqual(
      childrenOf(root, { kind: 'all' }).map((n) => n.name),
      ['css', 'img', 'js'],
    );
    assert.equal(folderOf(root, 'css').files[0].parent, folderOf(root, 'css'));
  });
});
