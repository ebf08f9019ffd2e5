// Which documents a static file change re-checks: precise enough to skip unrelated templates, never
// missing one whose diagnostics (existence or did-you-mean) could change.
import * as assert from 'node:assert/strict';
import { StaticIndexApi } from '../../server/src/engine/indexTypes';
import { suggestPaths } from '../../server/src/service/suggest';
import { isAffected, mightBeSuggested, normalisePath } from '../../server/src/workspace/affected';

/** Just what suggestPaths reads from an index. */
function indexOf(paths: string[]): StaticIndexApi {
  const forEachFile = (visit: (folder: string, name: string) => void) => {
    for (const p of paths) {
      const slash = p.lastIndexOf('/');
      visit(slash === -1 ? '' : p.slice(0, slash), p.slice(slash + 1));
    }
  };
  return { size: paths.length, generation: paths.length, forEachFile } as unknown as StaticIndexApi;
}

describe('workspace/affected', () => {
  const facts = {
    references: ['css/site.css', 'css/missing.css', 'img'],
    missing: ['css/missing.css'],
    suggestions: ['css/mising.css'],
  };

  it('re-checks documents that reference a changed path, a folder of it, or a path below it', () => {
    assert.equal(isAffected(facts, { added: ['css/missing.css'], removed: [] }), true);
    assert.equal(isAffected(facts, { added: [], removed: ['css'] }), true);
    assert.equal(isAffected(facts, { added: ['img/logo.png'], removed: [] }), true);
  });

  it('re-checks when a shown suggestion disappears, not when an unrelated file does', () => {
    assert.equal(isAffected(facts, { added: [], removed: ['css/mising.css'] }), true);
    assert.equal(isAffected(facts, { added: [], removed: ['vendor/lib/other.js'] }), false);
  });

  it('re-checks when an added file may become a suggestion for a missing reference', () => {
    assert.equal(isAffected(facts, { added: ['css/zzz.js'], removed: [] }), true, 'same folder');
    assert.equal(isAffected(facts, { added: ['other/missng.css'], removed: [] }), true, 'close basename');
    assert.equal(isAffected(facts, { added: ['d0/incremental/added.css'], removed: [] }), false);
  });

  it('covers every suggestion the service actually makes', () => {
    const paths = [
      'css/site.css', 'css/Site2.css', 'css/sit.css', 'js/app.js', 'js/ap.js', 'js/vendor/app.min.js', 'img/logo.png',
      'img/log.png', 'app/css/missing_1_2.css', 'app/css/missing_1_3.css', 'fonts/a.woff', 'a.css', 'b/a.css',
    ];
    const missing = ['css/sitee.css', 'CSS/Site.css', 'js/app.jss', 'img/logo.svg', 'app/css/missing_1_4.css', 'x/a.css', 'logo.png'];
    let checked = 0;
    for (const m of missing) {
      for (const candidate of suggestPaths(m, indexOf(paths), 5)) {
        assert.ok(mightBeSuggested(m, candidate), `${candidate} suggested for ${m}`);
        checked++;
      }
    }
    assert.ok(checked > 5, `only ${checked} suggestions made`);
  });

  it('normalises like the service', () => {
    assert.equal(normalisePath('/css/./a/../site.css'), 'css/site.css');
    assert.equal(normalisePath('../x'), null);
  });
});
