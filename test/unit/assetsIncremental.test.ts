/**
 * The replay after a save (engine/assets, `previous` + `changed`): on the differential suite's seeded trees,
 * every edit (a reference added, broken, fixed, an @import cycle made and unmade, an image changed) gives
 * exactly what a whole replay of the tree gives, and re-runs only the files the edit reaches.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssetPrediction, assetFindings, predictAssets } from '../../server/src/engine/assets';
import { loadProject } from '../../server/src/engine/project';
import { generateAssetTree } from '../differential/assetsGenerator';
import { Random } from '../differential/generator';
import { DJANGO_PYTHON } from '../djangoVersions';

/** What a prediction says, in a form two predictions can be compared by. */
function outcome(p: AssetPrediction) {
  const r = p.result!;
  return {
    references: r.references.map((x) => [x.file.name, x.start, x.end, x.url, JSON.stringify(x.outcome)]),
    undecodable: r.undecodable.map((f) => f.name),
    unreadable: r.unreadable.map((f) => f.name),
    leftovers: [...r.leftovers].sort(),
    unresolved: r.unresolved,
    findings: assetFindings(p).map((f) => `${f.code} ${f.dest}:${f.start.line}:${f.start.character} ${f.message}`),
  };
}

function listFiles(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(abs, ext));
    else if (ext.test(e.name)) out.push(abs);
  }
  return out.sort();
}

describe('engine/assets: the replay after a save', function () {
  this.timeout(60000);
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'dsf-incremental-'));
  after(() => fs.rmSync(parent, { recursive: true, force: true }));

  for (const seed of [3, 11, 29, 47]) {
    it(`equals a whole replay after each of 12 edits (seed ${seed})`, async () => {
      const tree = generateAssetTree(parent, seed, '3.2');
      const { model, index } = await loadProject(tree.dir, { mode: 'static', python: DJANGO_PYTHON });
      const rng = new Random(seed * 7 + 1);
      const sources = path.join(tree.dir);
      const css = listFiles(sources, /\.css$/).filter((f) => !f.includes(`${path.sep}collected${path.sep}`));
      const others = listFiles(sources, /\.(js|png)$/).filter((f) => !f.includes(`${path.sep}collected${path.sep}`));
      assert.ok(css.length > 3, 'the tree has CSS files');
      let previous = predictAssets(model, index, { collectOrder: false });
      assert.ok(previous.result, previous.unknown ?? '');
      let partial = 0;
      for (let edit = 0; edit < 12; edit++) {
        const file = rng.chance(0.8) ? rng.pick(css) : rng.pick(others);
        const other = rng.pick(css);
        const rel = path.posix.relative(path.posix.dirname(file), other).split(path.sep).join('/') || path.basename(other);
        const kind = rng.int(0, 4);
        if (kind === 0) fs.appendFileSync(file, `\n.m${edit} { background: url(nowhere-${edit}.png); }\n`);
        else if (kind === 1)
          fs.appendFileSync(file, `\n@import "${path.relative(path.dirname(file), other).split(path.sep).join('/')}";\n`);
        else if (kind === 2) fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/url\([^)]*\)/, 'url(fixed.png)'));
        else if (kind === 3) fs.writeFileSync(file, `/* rewritten ${edit} */\n`);
        else fs.appendFileSync(file, `\n/* ${rel} ${edit} */\n`);
        index.fileChanged?.(file);
        const incremental = predictAssets(model, index, { collectOrder: false, previous, changed: [file] });
        const whole = predictAssets(model, index, { collectOrder: false });
        assert.deepStrictEqual(outcome(incremental), outcome(whole), `edit ${edit} (kind ${kind}) of ${path.relative(tree.dir, file)}`);
        if (incremental.result!.memory.replayed < whole.result!.memory.replayed) partial++;
        previous = incremental;
      }
      assert.ok(partial > 0, 'some edits re-ran only part of the tree');
    });
  }
});
