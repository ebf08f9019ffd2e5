import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildOutputFor, findBuildOutputs, gitignoreMatch } from '../../server/src/engine/buildOutputs';
import { BuildOutput, ProjectModel } from '../../server/src/engine/model';
import { makeTree, removeTree } from './djangoFixtures';

describe('build outputs', () => {
  it('matches .gitignore patterns as git does: anchored with a slash, any depth without, folders ignore their contents', () => {
    assert.equal(gitignoreMatch('static_src/vendor/', '/p', '/p/static_src/vendor/htmx.js'), '/p/static_src/vendor');
    assert.equal(gitignoreMatch('vendor/', '/p', '/p/static_src/vendor/htmx.js'), '/p/static_src/vendor');
    assert.equal(gitignoreMatch('/vendor/', '/p', '/p/static_src/vendor/htmx.js'), null, 'a leading slash anchors');
    assert.equal(gitignoreMatch('*.min.js', '/p', '/p/a/b/x.min.js'), '/p/a/b/x.min.js');
    assert.equal(gitignoreMatch('css/*.css', '/p', '/p/css/a/b.css'), null, '* stays within a folder');
    assert.equal(gitignoreMatch('css/**/*.css', '/p', '/p/css/a/b.css'), '/p/css/a/b.css');
    assert.equal(gitignoreMatch('dist', '/p', '/q/dist/x.js'), null, 'only below its own folder');
  });

  it("does not take 'static/' (STATIC_ROOT, usually) for every app's static folder, but does for a STATICFILES_DIRS root", () => {
    const outputs: BuildOutput[] = [
      { kind: 'gitignore', base: '/p', pattern: 'static/', from: '.gitignore line 1: static/', command: null },
    ];
    assert.equal(buildOutputFor(outputs, '/p/shop/static/shop/x.js', '/p/shop/static', false), null);
    assert.ok(buildOutputFor(outputs, '/p/front/static/x.js', '/p/front/static', true));
    const dist: BuildOutput[] = [{ kind: 'path', path: '/p/frontend/dist', from: 'webpack.config.js', command: 'npm run build' }];
    assert.equal(buildOutputFor(dist, '/p/frontend/dist/bundle.js', '/p/frontend/dist', true)?.command, 'npm run build');
    assert.equal(buildOutputFor(dist, '/p/frontend/distx/bundle.js', '/p/frontend/distx', true), null);
  });

  it("reads a script's outputs in each command of a chain, sass's `in out` form included, and rollup's output files", async () => {
    const scripts = {
      'build:css': 'npm run lint && npx sass --no-source-map wger/core/static/scss/main.scss wger/core/static/compiled.css',
      'build:pairs': 'sass src/scss:static/css',
      'build:js': 'esbuild app.js --bundle --outfile=static/js/app.js; echo done',
      watch: 'sass --watch in.scss',
      'build:bundle': 'rollup -c',
      dev: 'rollup -c -w',
    };
    const rollup =
      "export default {\n  input: 'front/index.js',\n  output: [{ file: 'app/static/bundle.js' }, { dir: 'app/static/chunks' }],\n};\n";
    const dir = makeTree({ 'package.json': JSON.stringify({ scripts }), 'rollup.config.mjs': rollup });
    try {
      const model = { projectDir: dir, finders: [] } as unknown as ProjectModel;
      const paths = (await findBuildOutputs(model)).flatMap((o) => (o.kind === 'path' ? [[path.relative(dir, o.path), o.command]] : []));
      assert.deepEqual(paths, [
        ['wger/core/static/compiled.css', 'npm run build:css'],
        ['static/css', 'npm run build:pairs'],
        ['static/js/app.js', 'npm run build:js'],
        ['app/static/bundle.js', 'npm run build:bundle'],
        ['app/static/chunks', 'npm run build:bundle'],
      ]);
    } finally {
      removeTree(dir);
    }
  });
});
