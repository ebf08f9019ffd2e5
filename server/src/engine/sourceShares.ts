/**
 * What each static source amounts to in collectstatic's view: the destinations it yields, the later
 * sources' copies it hides and its own copies earlier sources hide: the report filtered to one source. The
 * settings lenses show the index's collect counts instead (no list per source); tests hold them equal to these
 * lists' lengths, so the number on the lens is the length of the list behind it.
 */
import type { Provider, StaticIndexApi } from './indexTypes';
import { comparePaths } from './paths';

/** One source's part of the collected namespace. */
export interface SourceShare {
  /** Destinations it yields, collected or hidden, sorted. */
  provides: string[];
  /** Its files that hide the copies of later sources, by path (sorted). */
  shadows: { path: string; hidden: Provider[] }[];
  /** Its files hidden by an earlier source's copy, by path (sorted). */
  shadowedBy: { path: string; winner: Provider; own: Provider }[];
}

/** Every source's share, by `StaticSource.order`. */
export function sourceShares(index: StaticIndexApi): Map<number, SourceShare> {
  const shares = new Map<number, SourceShare>(index.sources.map((s) => [s.order, { provides: [], shadows: [], shadowedBy: [] }]));
  const share = (order: number): SourceShare => shares.get(order)!;
  for (const winner of index.collectWinners()) share(winner.source.order).provides.push(winner.path);
  for (const entry of index.duplicates()) {
    const [winner, ...hidden] = entry.providers.filter((p) => !p.ignored);
    if (!winner || hidden.length === 0) continue;
    share(winner.source.order).shadows.push({ path: entry.path, hidden });
    for (const own of hidden) {
      share(own.source.order).provides.push(entry.path);
      share(own.source.order).shadowedBy.push({ path: entry.path, winner, own });
    }
  }
  const byPath = (a: { path: string }, b: { path: string }) => comparePaths(a.path, b.path);
  for (const s of shares.values()) {
    s.provides.sort(comparePaths);
    s.shadows.sort(byPath);
    s.shadowedBy.sort(byPath);
  }
  return shares;
}
