/**
 * What passes between a bundle and the loader that started it (launch/codeCache.ts): the bundle says when
 * the functions a start-up needs have run, so the code cache made then holds them, and reads how the cache
 * fared, for its log. Without a loader (tests that import the server, `node dist/server-bundle.js`) the
 * call does nothing and there is no state.
 */
export const HOT_PATHS_RAN = Symbol.for('django-static-files.hotPathsRan');
export const LAUNCH_STATE = Symbol.for('django-static-files.launchState');

/** How the code cache fared at this start. */
export interface LaunchState {
  /**
   * `used`: compiled from it; `absent`: none yet; `rejected`: V8 refused it (another V8 build or flags);
   * `foreign`: a file for another bundle, node or flags; `damaged`: its checksum is wrong; `off`: no cache folder.
   */
  cache: 'used' | 'absent' | 'rejected' | 'foreign' | 'damaged' | 'off';
  /** The cache file written at this start, once written. */
  written?: string;
}

export function hotPathsRan(): void {
  const hook = (globalThis as Record<symbol, unknown>)[HOT_PATHS_RAN];
  if (typeof hook === 'function') hook();
}

export function launchState(): LaunchState | undefined {
  return (globalThis as Record<symbol, unknown>)[LAUNCH_STATE] as LaunchState | undefined;
}
