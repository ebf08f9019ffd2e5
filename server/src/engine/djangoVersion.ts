/**
 * What differs between the Django versions we model, in one table, so every layer asks the same question
 * ("does this project's Django do X?") instead of comparing version numbers itself. Each row was checked
 * against the real source of 3.2, 4.2 and 5.2; rows for 6.x come from its release notes and are untested.
 */

/** `[major, minor]` */
export type MajorMinor = [number, number];

/** The newest series the test matrix runs real Django for; a newer project's Django is modelled, not tested. */
export const NEWEST_TESTED: MajorMinor = [5, 2];
export const OLDEST_TESTED: MajorMinor = [3, 2];
/** What is assumed when the version cannot be told (static mode without a located django package). */
export const ASSUMED_WHEN_UNKNOWN: MajorMinor = NEWEST_TESTED;

/** `'4.2.28'`, `'5.2'`, `'6.0a1'` → `[4, 2]`; null for anything else. */
export function parseMajorMinor(version: string | null | undefined): MajorMinor | null {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export function atLeast(version: MajorMinor, major: number, minor: number): boolean {
  return version[0] > major || (version[0] === major && version[1] >= minor);
}

/** The behaviours that depend on the version, for one version. */
export interface DjangoBehaviour {
  version: MajorMinor;
  /** True when the version was not known and ASSUMED_WHEN_UNKNOWN stands in for it. */
  assumed: boolean;
  /** STORAGES['staticfiles'] names the storage (4.2+). */
  readsStorages: boolean;
  /** STATICFILES_STORAGE names the storage (removed in 5.1). */
  readsStaticfilesStorage: boolean;
  /**
   * Setting STATICFILES_STORAGE warns RemovedInDjango51Warning, and setting STORAGES too raises
   * ImproperlyConfigured "STATICFILES_STORAGE/STORAGES are mutually exclusive." (4.2 and 5.0).
   */
  deprecatesStaticfilesStorage: boolean;
  /** staticfiles.E005: STORAGES without a 'staticfiles' entry (5.1+). */
  checksStoragesEntry: boolean;
  /** staticfiles.W004: a STATICFILES_DIRS entry that does not exist (4.0+). */
  warnsMissingDirs: boolean;
  /**
   * AppDirectoriesFinder matches a broken symlink (4.2+: FileSystemStorage.exists() became os.path.lexists);
   * FileSystemFinder still uses os.path.exists, so it never does.
   */
  appFinderSeesBrokenLinks: boolean;
  /** staticfiles.json `version`s the storage loads: 3.2 only '1.0'; 4.2 writes '1.1' (with a `hash` key) and reads both. */
  manifestVersionsRead: readonly string[];
  /** The default template loaders are wrapped in cached.Loader with DEBUG on too (4.1+; before, only with it off). */
  cachesTemplatesInDebug: boolean;
  /** An app package's `default_app_config` is honoured (before 4.1). */
  honoursDefaultAppConfig: boolean;
  /** `{% load staticfiles %}` and `admin_static` still give the tag (before 3.0). */
  loadsStaticfilesLibrary: boolean;
  /** STATIC_URL is prefixed with SCRIPT_NAME when relative (3.1+). */
  prefixesScriptName: boolean;
  /** Newer than the newest version the test matrix runs. */
  untested: boolean;
  /** How ManifestStaticFilesStorage post-processes CSS and JS in this version (engine/assets). */
  assets: AssetBehaviour;
}

/**
 * HashedFilesMixin's differences, read from the 3.2, 4.2 and 5.2 sources (and held to them by the differential
 * suite). The 4.0/4.1 rows come from the release notes; the rows keyed at 5.0 were seen in 5.2 and not in 4.2,
 * and which 5.x release first had them was not checked.
 */
export interface AssetBehaviour {
  /** `/*# sourceMappingURL=… *\/` in CSS is rewritten (4.0+). */
  cssSourceMaps: boolean;
  /** `//# sourceMappingURL=…` in JS is rewritten (4.1+). */
  jsSourceMaps: boolean;
  /** `support_js_module_import_aggregation` exists (4.2+; off unless the storage class sets it). */
  jsModuleImportsAvailable: boolean;
  /** The templates take the match's named groups (4.0+); 3.2 formats the URL alone. */
  namedGroups: boolean;
  /** 4.x's source-map patterns start with an empty `matched` group, so a skipped source map (data:) is deleted; 5.0 fixed it. */
  sourceMapMatchedEmpty: boolean;
  /** `import * as name from` is matched (5.0+). */
  importStarAs: boolean;
  /** `//host/…` URLs are left alone by name (5.0+); before, only as absolute paths outside STATIC_URL. */
  skipsProtocolRelative: boolean;
  /** URLs with an empty path (`#x`) are left alone (4.0+). */
  skipsEmptyPath: boolean;
  /** staticfiles.json's `version`, and whether it carries a `hash` (4.2+: '1.1' with a hash). */
  manifestVersion: '1.0' | '1.1';
  manifestHash: boolean;
  /** "Max post-process passes exceeded" names the files still changing (5.0+) instead of 'All'. */
  namesUnresolvedPaths: boolean;
}

function assetBehaviour(v: MajorMinor): AssetBehaviour {
  return {
    cssSourceMaps: atLeast(v, 4, 0),
    jsSourceMaps: atLeast(v, 4, 1),
    jsModuleImportsAvailable: atLeast(v, 4, 2),
    namedGroups: atLeast(v, 4, 0),
    sourceMapMatchedEmpty: atLeast(v, 4, 0) && !atLeast(v, 5, 0),
    importStarAs: atLeast(v, 5, 0),
    skipsProtocolRelative: atLeast(v, 5, 0),
    skipsEmptyPath: atLeast(v, 4, 0),
    manifestVersion: atLeast(v, 4, 2) ? '1.1' : '1.0',
    manifestHash: atLeast(v, 4, 2),
    namesUnresolvedPaths: atLeast(v, 5, 0),
  };
}

/** The behaviour table for `version` (a version string or [major, minor]; unknown → the newest tested). */
export function behaviourOf(version: string | MajorMinor | null | undefined): DjangoBehaviour {
  const parsed = Array.isArray(version) ? version : parseMajorMinor(version);
  const v = parsed ?? ASSUMED_WHEN_UNKNOWN;
  return {
    version: v,
    assumed: parsed === null,
    readsStorages: atLeast(v, 4, 2),
    readsStaticfilesStorage: !atLeast(v, 5, 1),
    deprecatesStaticfilesStorage: atLeast(v, 4, 2) && !atLeast(v, 5, 1),
    checksStoragesEntry: atLeast(v, 5, 1),
    warnsMissingDirs: atLeast(v, 4, 0),
    appFinderSeesBrokenLinks: atLeast(v, 4, 2),
    manifestVersionsRead: atLeast(v, 4, 2) ? ['1.0', '1.1'] : ['1.0'],
    cachesTemplatesInDebug: atLeast(v, 4, 1),
    honoursDefaultAppConfig: !atLeast(v, 4, 1),
    loadsStaticfilesLibrary: !atLeast(v, 3, 0),
    prefixesScriptName: atLeast(v, 3, 1),
    untested: !atLeast(NEWEST_TESTED, v[0], v[1]),
    assets: assetBehaviour(v),
  };
}

/** A sentence for `info` and the report when the project's Django is outside what was tested, else null. */
export function versionCaveat(version: string | null): string | null {
  const b = behaviourOf(version);
  if (b.assumed) return `The project's Django version could not be told; Django ${NEWEST_TESTED.join('.')} behaviour is assumed.`;
  if (!atLeast(b.version, OLDEST_TESTED[0], OLDEST_TESTED[1])) {
    return `Django ${version} is older than the oldest version tested (${OLDEST_TESTED.join('.')}); it is treated as ${OLDEST_TESTED.join('.')}.`;
  }
  if (b.untested) {
    return `Django ${version} is newer than the newest version tested (${NEWEST_TESTED.join('.')}); its behaviour is modelled from the release notes.`;
  }
  return null;
}
