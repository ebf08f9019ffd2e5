/**
 * The server's `--optimize-for-size` lifted while static folders are walked (launch/walkFlags.ts). Each case runs
 * in a child process, since the flags are the whole process's. V8 keys a code cache by the flags, so a cache made
 * under the server's flags is refused exactly while they are lifted: that is what tells lifted from not here.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const MODULE = path.join(__dirname, '../../server/src/launch/walkFlags.js');

/**
 * Runs `body` in a fresh node with the module as `wf`; `cacheNow()` makes code caches under the flags of the moment,
 * `refused()` tells whether the next is refused now, `grow()` keeps names as a walk does. Returns its JSON line.
 */
function inChild(body: string): Record<string, unknown> {
  const script = `
    const vm = require('node:vm');
    const { PerformanceObserver, constants } = require('node:perf_hooks');
    const wf = require(${JSON.stringify(MODULE)});
    // One source per check: V8 answers a source it compiled once from its own table, without the cache.
    const sources = [0, 1, 2, 3].map((i) => 'function f' + i + '(a) { return a + ' + i + '; } f' + i + '(1);');
    let made = [];
    const cacheNow = () => { made = sources.map((src) => [src, new vm.Script(src).createCachedData()]); };
    const refused = () => { const [src, cachedData] = made.shift(); return new vm.Script(src, { cachedData }).cachedDataRejected; };
    let majors = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
    }).observe({ entryTypes: ['gc'] });
    // About 40 MB of names kept, as a walk keeps them; the full collections it caused, once reported.
    const grow = async () => {
      const before = majors;
      let keep = [];
      for (let i = 0; i < 40000; i++) keep.push(Array.from({ length: 25 }, (_, j) => 'name_' + i + '_' + j + '.css'));
      await new Promise((r) => setTimeout(r, 100));
      keep = null;
      return majors - before;
    };
    const settle = () => new Promise((r) => setTimeout(r, 10));
    (async () => { ${body} })().catch((e) => { console.log(JSON.stringify({ error: String(e) })); });
  `;
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30000 });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

describe('server V8 flags during a walk', function () {
  this.timeout(60000);

  it('lifts --optimize-for-size while walks run, until the last ends, and fewer full collections run meanwhile', () => {
    const got = inChild(`
      wf.applyServerFlags();
      cacheNow();
      const flagged = await grow();
      let endFirst, endSecond;
      wf.liftWhileWalking(new Promise((r) => (endFirst = r)));
      wf.liftWhileWalking(new Promise((r) => (endSecond = r)));
      const during = refused();
      const lifted = await grow();
      endFirst();
      await settle();
      const oneLeft = refused();
      endSecond();
      await settle();
      console.log(JSON.stringify({ before: false, during, oneLeft, after: refused(), flagged, lifted }));
    `);
    assert.equal(got.during, true, 'a cache made under the server flags is refused while they are lifted');
    assert.equal(got.oneLeft, true, 'still lifted while one walk runs');
    assert.equal(got.after, false, 'the server flags are back once no walk runs');
    assert.ok((got.flagged as number) >= 3, `full collections under --optimize-for-size: ${got.flagged}`);
    assert.ok((got.lifted as number) < (got.flagged as number), `lifted ${got.lifted} against ${got.flagged}`);
  });

  it('changes nothing where the server flags were not set, or while the code cache is still to be written', () => {
    const got = inChild(`
      cacheNow();
      wf.liftWhileWalking(new Promise(() => {}));
      const cli = refused();
      globalThis[Symbol.for('django-static-files.launchState')] = { cache: 'absent' };
      wf.applyServerFlags();
      cacheNow();
      wf.liftWhileWalking(new Promise(() => {}));
      console.log(JSON.stringify({ cli, pending: refused() }));
    `);
    assert.deepEqual(got, { cli: false, pending: false });
  });
});
