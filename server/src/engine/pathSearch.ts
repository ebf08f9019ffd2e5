/**
 * How Find Static File ranks destination paths against what the user typed, case-insensitively, best
 * first: the file's name itself, then names starting with the query, containing it, a folder containing
 * it, and last the query's characters in order anywhere in the path (VS Code's quick open matches so too).
 * With a `/` in the query the whole path is compared instead of the name (`css/site` starts `css/site.css`).
 * A folder is prepared once for all its files, so a million files are matched without a path per file.
 */

/** Best first; no match is -1. */
export const MatchTier = { Exact: 0, Prefix: 1, Contains: 2, FolderContains: 3, Subsequence: 4 } as const;

/** The query prepared for the files of one folder. */
export interface FolderMatcher {
  /** The tier of the file `name` (its case as on disk), -1 when it does not match. */
  tier(name: string): number;
}

export interface PathQuery {
  /** True for an empty query: every file matches, in tier Exact. */
  readonly empty: boolean;
  inFolder(folder: string): FolderMatcher;
}

const EVERYTHING: FolderMatcher = { tier: () => MatchTier.Exact };

export function pathQuery(typed: string): PathQuery {
  const q = typed.trim().toLowerCase().replace(/\\/g, '/').replace(/^\/+/, '').replace(/\s+/g, '');
  if (!q) return { empty: true, inFolder: () => EVERYTHING };
  const slash = q.lastIndexOf('/');
  return { empty: false, inFolder: (folder) => (slash < 0 ? nameMatcher(folder, q) : pathMatcher(folder, q, slash)) };
}

/** A query without `/`: compared with each name, the folder's path only matters when the name does not match. */
function nameMatcher(folder: string, q: string): FolderMatcher {
  const dir = folder ? `${folder.toLowerCase()}/` : '';
  const folderContains = dir.includes(q);
  const rest = q.slice(heldInOrder(q, dir));
  return {
    tier: (name) => {
      const lower = name.toLowerCase();
      if (lower === q) return MatchTier.Exact;
      if (lower.startsWith(q)) return MatchTier.Prefix;
      if (lower.includes(q)) return MatchTier.Contains;
      if (folderContains) return MatchTier.FolderContains;
      return isSubsequence(rest, lower) ? MatchTier.Subsequence : -1;
    },
  };
}

/**
 * A query with `/`, compared with the whole path: a name holds no `/`, so a match either lies in the folder's
 * path (every file matches alike) or ends in the name, the query's last `/` being the folder's last.
 */
function pathMatcher(folder: string, q: string, slash: number): FolderMatcher {
  const dir = folder ? `${folder.toLowerCase()}/` : '';
  const rest = q.slice(heldInOrder(q, dir));
  const inDir = dir.includes(q) ? (dir.startsWith(q) ? MatchTier.Prefix : MatchTier.Contains) : -1;
  const head = q.slice(0, slash + 1);
  const tail = q.slice(slash + 1);
  const endsHere = dir.endsWith(head);
  const atTop = dir === head;
  const atSegment = atTop || dir.endsWith(`/${head}`);
  return {
    tier: (name) => {
      if (inDir >= 0) return inDir;
      const lower = name.toLowerCase();
      if (endsHere && lower.startsWith(tail)) {
        if (lower === tail) return atTop ? MatchTier.Exact : atSegment ? MatchTier.Prefix : MatchTier.Contains;
        return atTop ? MatchTier.Prefix : MatchTier.Contains;
      }
      return isSubsequence(rest, lower) ? MatchTier.Subsequence : -1;
    },
  };
}

/** How many of the query's first characters `text` holds in order (greedy: the name must hold the rest). */
function heldInOrder(q: string, text: string): number {
  let matched = 0;
  for (let i = 0; i < text.length && matched < q.length; i++) if (text[i] === q[matched]) matched++;
  return matched;
}

function isSubsequence(q: string, text: string): boolean {
  let at = 0;
  for (let i = 0; i < text.length && at < q.length; i++) if (text[i] === q[at]) at++;
  return at === q.length;
}
