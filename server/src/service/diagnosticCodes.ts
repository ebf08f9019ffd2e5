/**
 * The one table of diagnostic codes. The `DiagnosticCode` type, the default severities, package.json's
 * `djangoStatic.severity` schema and the README's list are all derived from it (`npm run docs:diagnostics`
 * rewrites the last two; test/unit/diagnosticTable.test.ts fails when they are stale).
 */
import type { SeveritySetting } from '../protocol';

/** A severity as settings and the README name it. */
export type SeverityName = Exclude<SeveritySetting, 'off'>;

/** One row of the table. */
export interface DiagnosticCodeInfo {
  /** Severity unless `djangoStatic.severity` says otherwise. */
  severity: SeverityName;
  /** One line: what it means, in Django's terms. */
  description: string;
  /** What the quick fix does, or null when there is none. */
  quickFix: string | null;
}

/** Order is the order of package.json's schema and the README list. */
export const DIAGNOSTIC_CODES = {
  'missing-file': {
    severity: 'error',
    description: 'No finder provides this path (findstatic finds nothing).',
    quickFix: 'Change to a path that exists (did-you-mean)',
  },
  shadowed: {
    severity: 'warning',
    description: 'An earlier source provides the same path, so this file is never served or collected.',
    quickFix: null,
  },
  'missing-load': {
    severity: 'error',
    description: '{% static %} used without {% load static %} (Django raises Invalid block tag).',
    quickFix: 'Add {% load static %}',
  },
  'load-staticfiles': {
    severity: 'error',
    description: '{% load staticfiles %} was removed in Django 3.0.',
    quickFix: "Replace the library with 'static'",
  },
  'leading-slash': {
    severity: 'warning',
    description: 'A leading slash works with DEBUG on but fails with manifest storage.',
    quickFix: 'Remove the leading slash',
  },
  'is-folder': {
    severity: 'error',
    description: 'The path names a folder, not a file.',
    quickFix: null,
  },
  'ignored-by-collectstatic': {
    severity: 'warning',
    description: "collectstatic's ignore patterns skip this file.",
    quickFix: null,
  },
  // Not a defect: static mode could not read what may provide the path, so it says which source and moves on.
  'unknown-source': {
    severity: 'information',
    description:
      "No known source provides this path, but one static mode could not read may: a STATICFILES_DIRS it could not evaluate, an app it could not locate (when the path starts with the app's name), a custom finder.",
    quickFix: 'Change to a path that exists (did-you-mean)',
  },
  // A build output is expected to be absent before the build: CI that checks before building can lower it.
  'not-built': {
    severity: 'warning',
    description:
      "The path is missing where a front-end build writes (webpack output.path, Vite build.outDir, Rollup output.file/dir, a package.json script's output argument) or in a folder .gitignore ignores (an app's own static/ folder too, absent on a fresh clone, when a pattern names its place, such as `/*/static`): not built yet rather than a typo; the message names the build command when it can be read.",
    quickFix: null,
  },
  'not-in-manifest': {
    severity: 'warning',
    description:
      'The file exists but STATIC_ROOT/staticfiles.json lacks it (collectstatic is stale): DEBUG=False raises "Missing staticfiles manifest entry".',
    quickFix: null,
  },
  'escapes-root': {
    severity: 'error',
    description: 'The path leaves the static roots (Django raises SuspiciousFileOperation).',
    quickFix: null,
  },
  'no-argument': {
    severity: 'error',
    description: '{% static %} without a path.',
    quickFix: null,
  },
  'hardcoded-url': {
    // Not hint: VS Code leaves hints out of the Problems panel, and this one is worth finding there.
    severity: 'information',
    description: 'A hard-coded STATIC_URL path that could use {% static %}.',
    quickFix: "Use {% static '…' %} (adding {% load static %} when needed)",
  },
  // Settings files (engine/settingsChecks.ts): on the line that assigned the value.
  'django-check': {
    severity: 'error',
    description:
      "A staticfiles system check of the project's Django version fails (staticfiles.E001-E003, E005, W004; the message starts with Django's id and takes its level).",
    quickFix: null,
  },
  'static-url-slash': {
    severity: 'error',
    description: "STATIC_URL (or MEDIA_URL) does not end with '/': Django's urls.E006.",
    quickFix: null,
  },
  'static-media-url': {
    severity: 'error',
    description:
      'STATIC_URL equals MEDIA_URL (or, with DEBUG on, MEDIA_URL is inside it): the staticfiles storage raises ImproperlyConfigured, so collectstatic and {% static %} fail.',
    quickFix: null,
  },
  'static-media-root': {
    severity: 'error',
    description:
      'MEDIA_ROOT equals STATIC_ROOT: the staticfiles storage raises ImproperlyConfigured, so collectstatic and {% static %} fail.',
    quickFix: null,
  },
  'static-root-unset': {
    severity: 'error',
    description: 'A manifest storage without STATIC_ROOT: collectstatic fails, and no manifest can be collected for its hashed URLs.',
    quickFix: null,
  },
  'staticfiles-not-installed': {
    severity: 'warning',
    description:
      'Templates use {% static %} but django.contrib.staticfiles is not in INSTALLED_APPS: URLs render, but no finder serves or collects the files.',
    quickFix: null,
  },
  'whitenoise-middleware-order': {
    severity: 'warning',
    description:
      "WhiteNoise's middleware is not directly after SecurityMiddleware, above every other middleware (WhiteNoise's documentation).",
    quickFix: null,
  },
  'whitenoise-runserver-order': {
    severity: 'warning',
    description:
      "whitenoise.runserver_nostatic is listed after django.contrib.staticfiles, so staticfiles' runserver still serves the files.",
    quickFix: null,
  },
  'staticfiles-storage-deprecated': {
    severity: 'warning',
    description:
      'STATICFILES_STORAGE on Django 4.2/5.0: deprecated (RemovedInDjango51Warning); an error when STORAGES is set too (Django refuses to start).',
    quickFix: "Rewrite it into STORAGES['staticfiles'], keeping a default entry",
  },
  'staticfiles-storage-unread': {
    severity: 'warning',
    description: "STATICFILES_STORAGE on Django 5.1+: no longer read; the storage comes from STORAGES['staticfiles'] (or the default).",
    quickFix: "Rewrite it into STORAGES['staticfiles'], keeping a default entry",
  },
  'setting-not-evaluated': {
    severity: 'information',
    description: 'Static mode could not evaluate a setting (the same unknowns info lists), with the reason, on its line.',
    quickFix: null,
  },
  // CSS and JS as ManifestStaticFilesStorage post-processes them (engine/assets: `check`, and the language server on the CSS/JS files).
  'asset-missing': {
    severity: 'error',
    description:
      "A CSS/JS reference collectstatic rewrites names a file no source provides: with a hashing storage the deploy fails (ValueError: The file '…' could not be found), Django's regular expressions followed to the letter.",
    quickFix: null,
  },
  'asset-browser-404': {
    severity: 'warning',
    description: 'A CSS/JS reference names a file no source provides; the storage does not hash, so only the browser finds out (404).',
    quickFix: null,
  },
  'asset-outside-root': {
    severity: 'error',
    description: 'A CSS/JS reference normalises outside STATIC_ROOT: collectstatic raises SuspiciousFileOperation.',
    quickFix: null,
  },
  'asset-import-cycle': {
    severity: 'error',
    description: 'CSS/JS files that reference each other never settle: "RuntimeError: Max post-process passes exceeded."',
    quickFix: null,
  },
  'asset-not-utf8': {
    severity: 'error',
    description: 'A CSS/JS file a hashing storage post-processes is not UTF-8 (UnicodeDecodeError).',
    quickFix: null,
  },
  'asset-unreadable': {
    severity: 'error',
    description: 'A collected file cannot be read (a broken link): collectstatic fails copying it.',
    quickFix: null,
  },
  'asset-leftover-only': {
    severity: 'warning',
    description: 'Only STATIC_ROOT has the target (an earlier collectstatic left it): a deploy to a fresh STATIC_ROOT fails.',
    quickFix: null,
  },
  // check --project: the layout rules.
  'static-not-namespaced': {
    severity: 'warning',
    description:
      "A file at the top of an app's static/ instead of static/<app>/: another app's file of the same name takes its place (information for third-party apps).",
    quickFix: null,
  },
  'static-folder-twice': {
    severity: 'warning',
    description:
      'One folder reached twice under the same prefix (a STATICFILES_DIRS entry that is also an app\'s static/): "Found another file" floods collectstatic.',
    quickFix: null,
  },
  'static-root-overlap': {
    severity: 'warning',
    description: 'STATIC_ROOT inside a static source, or a source inside STATIC_ROOT.',
    quickFix: null,
  },
  'static-case-mismatch': {
    severity: 'warning',
    description:
      'A template or CSS/JS reference differs only in case from the file on disk: it works on macOS and Windows, and is a 404 on Linux.',
    quickFix: null,
  },
  'static-unreferenced': {
    severity: 'information',
    description:
      "One of the project's static files that no template, CSS or JS reference names (templates that build paths from variables are named; at most 50 listed).",
    quickFix: null,
  },
} as const satisfies Record<string, DiagnosticCodeInfo>;

/** A stable code a rule reports and `djangoStatic.severity` can change. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Every code, in table order. */
export const ALL_DIAGNOSTIC_CODES = Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[];

/**
 * Not a rule: the note appended when a document held more references or problems than are published.
 * It has no row, so no setting can hide it.
 */
export const TOO_MANY_CODE = 'too-many';
