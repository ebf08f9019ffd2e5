/**
 * Fixture projects modelled on how public Django projects write their settings (test/fixtures/real/*), checked
 * against real Django 3.2 at /usr/bin/python3 as the oracle: the templates each engine's own loaders find
 * (their get_dirs(), django-jinja's match_template), and the destination paths collectstatic's finders list.
 * Both modes must find every template Django's loaders find, in the same engine; extra templates are only
 * allowed from the fallback scan of an engine with a custom loader. Every finding is classified.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { loadProject } from '../../server/src/engine/project';
import { ProjectModel } from '../../server/src/engine/model';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';
import { createLanguageService } from '../../server/src/service';
import { languageIdFor } from '../../server/src/workspace/diagnosticsPublisher';
import { discoverTemplatesWithCoverage } from '../../server/src/workspace/templates';
import { thirdPartySitePackages } from '../thirdParty';
import { DJANGO_PYTHON } from './djangoFixtures';
import { describeEachDjango } from '../djangoVersions';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/real');

/** Asks Django itself: each engine's loader folders and the files in them it would take, and collectstatic's paths. */
const ORACLE = `
import json, os, sys
sys.path.insert(0, os.getcwd())
if os.path.isdir('src'):  # what the src/ layout's manage.py does
    sys.path.insert(0, os.path.abspath('src'))
import django
django.setup()
from django.template import engines
from django.template.loaders import cached, filesystem
from django.contrib.staticfiles.finders import get_finders
from django.apps import apps

def dirs_of(loader, out):
    if isinstance(loader, cached.Loader):
        for inner in loader.loaders:
            dirs_of(inner, out)
    elif isinstance(loader, filesystem.Loader):
        out.extend(str(d) for d in loader.get_dirs())

result = {'engines': [], 'collected': []}
for backend in engines.all():
    dirs = []
    if hasattr(backend, 'engine'):
        for loader in backend.engine.template_loaders:
            dirs_of(loader, dirs)
    else:
        dirs = [str(d) for d in backend.env.loader.searchpath]
    files = []
    for d in dirs:
        for root, _subdirs, names in os.walk(d):
            for name in names:
                full = os.path.join(root, name)
                rel = os.path.relpath(full, d).replace(os.sep, '/')
                if hasattr(backend, 'match_template') and not backend.match_template(rel):
                    continue
                files.append(os.path.abspath(full))
    result['engines'].append({'backend': type(backend).__module__ + '.' + type(backend).__name__, 'files': files})
patterns = list(apps.get_app_config('staticfiles').ignore_patterns)
seen = set()
for finder in get_finders():
    for p, storage in finder.list(patterns):
        prefix = getattr(storage, 'prefix', None)
        seen.add((os.path.join(prefix, p) if prefix else p).replace(os.sep, '/'))
result['collected'] = sorted(seen)
print(json.dumps(result))
`;

interface Oracle {
  engines: { backend: string; files: string[] }[];
  collected: string[];
}

function askDjango(projectDir: string, settings: string, pythonPath: string | null): Oracle {
  const env = { ...process.env, DJANGO_SETTINGS_MODULE: settings, ...(pythonPath ? { PYTHONPATH: pythonPath } : {}) };
  return JSON.parse(execFileSync(DJANGO_PYTHON, ['-c', ORACLE], { cwd: projectDir, env, encoding: 'utf8' })) as Oracle;
}

interface Expected {
  settings: string;
  /** The folder holding manage.py, when it is not the fixture's own (relative to the fixture). */
  project?: string;
  /**
   * A folder `pip install -e .` would put on sys.path (relative to the fixture): given to Django and to Django
   * mode, as the project's environment would, but not to static mode, which must find it by itself.
   */
  editable?: string;
  /** Debian packages the settings import. */
  packages?: string[];
  /** Templates per engine (backend → paths relative to the fixture), in TEMPLATES order. */
  templates: [string, string[]][];
  /** Template-looking files no engine covers. */
  outside: number;
  /** Every finding: 'file:line code severity'. */
  findings: string[];
  /**
   * Settings Django cannot load here (a third-party app that is not installed): static mode only, the ground
   * truth from a careful reading, with the paths collectstatic would list from the sources that are known.
   */
  withoutDjango?: { collected: string[] };
}

const DJ = 'django.template.backends.django.DjangoTemplates';
const EXPECTED: Record<string, Expected> = {
  loaders: {
    settings: 'proj.settings',
    templates: [[DJ, ['blog/templates/blog/post.html', 'shop/templates/shop/cart.html', 'site_templates/base.html']]],
    outside: 0,
    findings: ['blog/templates/blog/post.html:2 missing-file error', 'site_templates/base.html:3 missing-file error'],
  },
  djjinja: {
    settings: 'proj.settings',
    packages: ['python3-django-jinja'],
    templates: [
      ['django_jinja.backend.Jinja2', ['catalog/templates/catalog/list.jinja', 'templates/base.jinja']],
      [DJ, ['catalog/templates/catalog/email.html', 'templates/plain.html']],
    ],
    outside: 0,
    findings: ['catalog/templates/catalog/list.jinja:2 missing-file error', 'templates/base.jinja:1 missing-file error'],
  },
  mixed: {
    settings: 'proj.settings',
    templates: [
      ['django.template.backends.jinja2.Jinja2', ['shop/jinja2/shop/index.html']],
      // theme_fallback.html is the fallback scan's (ThemeLoader is custom); Django's own loaders find page.html.
      [DJ, ['shop/templates/shop/theme_fallback.html', 'themes/default/page.html']],
    ],
    outside: 1,
    findings: ['shop/jinja2/shop/index.html:1 missing-file error'],
  },
  unknowns: {
    settings: 'proj.settings',
    templates: [[DJ, ['shop/templates/shop/cart.html']]],
    outside: 0,
    // STATICFILES_DIRS comes from a loop, debug_toolbar is not installed: neither miss is an error.
    findings: ['shop/templates/shop/cart.html:3 unknown-source information', 'shop/templates/shop/cart.html:4 unknown-source information'],
    withoutDjango: { collected: ['shop/js/cart.js'] },
  },
  unlocated: {
    settings: 'proj.settings',
    templates: [[DJ, ['shop/templates/shop/cart.html']]],
    outside: 0,
    // Only the app's own namespace is uncertain: a typo elsewhere is still an error.
    findings: ['shop/templates/shop/cart.html:3 unknown-source information', 'shop/templates/shop/cart.html:4 missing-file error'],
    withoutDjango: { collected: ['shop/js/cart.js'] },
  },
  built: {
    settings: 'proj.settings',
    templates: [[DJ, ['shop/templates/shop/page.html']]],
    outside: 0,
    // A Tailwind output, a webpack bundle and a git-ignored vendor folder are not typos; the two typos are.
    findings: [
      'shop/templates/shop/page.html:2 not-built warning',
      'shop/templates/shop/page.html:3 not-built warning',
      'shop/templates/shop/page.html:4 not-built warning',
      'shop/templates/shop/page.html:5 missing-file error',
      'shop/templates/shop/page.html:6 missing-file error',
    ],
  },
  appbuild: {
    settings: 'proj.settings',
    templates: [[DJ, ['dashboard/templates/dashboard/home.html']]],
    outside: 0,
    // dashboard/static/ is the build's and ignored, so absent on a clone; a typo in a folder that exists, or in
    // an app's name, is still one.
    findings: [
      'dashboard/templates/dashboard/home.html:2 not-built warning',
      'dashboard/templates/dashboard/home.html:4 missing-file error',
      'dashboard/templates/dashboard/home.html:5 missing-file error',
    ],
  },
  srclayout: {
    settings: 'config.settings',
    templates: [[DJ, ['src/catalog/templates/catalog/list.html']]],
    outside: 0,
    findings: ['src/catalog/templates/catalog/list.html:1 missing-file error'],
  },
  jinjahtml: {
    settings: 'proj.settings',
    packages: ['python3-django-jinja'],
    templates: [
      // match_extension '.html' and a regex leaving django/ to Django's engine; mail.txt falls through too.
      ['django_jinja.backend.Jinja2', ['pages/templates/pages/home.html']],
      [DJ, ['pages/templates/django/widget.html', 'pages/templates/pages/mail.txt']],
    ],
    outside: 0,
    findings: ['pages/templates/django/widget.html:1 missing-file error', 'pages/templates/pages/home.html:1 missing-file error'],
  },
  splitsettings: {
    settings: 'proj.settings',
    packages: ['python3-django-split-settings'],
    templates: [[DJ, ['shop/templates/shop/cart.html']]],
    outside: 0,
    // Sources and apps from included files, a nested include among them: only the typo is missing.
    findings: ['shop/templates/shop/cart.html:6 missing-file error'],
  },
  reusableapp: {
    settings: 'example.settings',
    project: 'example',
    editable: 'src',
    templates: [[DJ, ['demo/templates/demo/index.html']]],
    outside: 0,
    // shopkit and its star-imported defaults come from ../src, which static mode finds through pyproject.toml.
    findings: ['demo/templates/demo/index.html:3 missing-file error'],
  },
  uncovered: {
    settings: 'webapp.settings',
    templates: [[DJ, []]],
    outside: 2,
    findings: [],
  },
};

async function findingsOf(
  model: ProjectModel,
  index: Awaited<ReturnType<typeof loadProject>>['index'],
  templates: string[],
): Promise<string[]> {
  const service = createLanguageService();
  const out: string[] = [];
  for (const file of templates) {
    const doc = TextDocument.create(URI.file(file).toString(), languageIdFor(file), 0, await fs.readFile(file, 'utf8'));
    for (const d of service.doValidation(doc, { model, index, settings: DEFAULT_SETTINGS })) {
      const severity = ['', 'error', 'warning', 'information', 'hint'][d.severity ?? 1];
      out.push(`${path.relative(model.projectDir, file)}:${d.range.start.line + 1} ${d.code} ${severity}`);
    }
  }
  return out.sort();
}

describeEachDjango('real-project fixtures against real Django', (v) => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    describe(name, () => {
      const projectDir = path.join(FIXTURES, name, expected.project ?? '');
      let pythonPath: string | null = null;
      let oraclePath: string | null = null;
      let oracle: Oracle;

      before(function () {
        if (expected.packages) {
          pythonPath = thirdPartySitePackages(expected.packages);
          if (!pythonPath) {
            console.log(`      skipped: ${expected.packages.join(', ')} could not be fetched with apt-get download`);
            this.skip();
          }
        }
        // This version's Django first, then the third-party packages the fixture needs.
        pythonPath = [v.pythonpath, pythonPath].filter(Boolean).join(path.delimiter) || null;
        const editable = expected.editable ? path.join(FIXTURES, name, expected.editable) : null;
        oraclePath = [pythonPath, editable].filter(Boolean).join(path.delimiter) || null;
        oracle = expected.withoutDjango
          ? { engines: [], collected: expected.withoutDjango.collected }
          : askDjango(projectDir, expected.settings, oraclePath);
      });

      it('the expected templates are what Django’s own loaders find (the oracle agrees with the fixture)', function () {
        if (expected.withoutDjango) this.skip();
        assert.deepEqual(
          oracle.engines.map((e) => e.backend),
          expected.templates.map(([backend]) => backend),
        );
        // get_template asks the engines in order: a file belongs to the first one that takes it.
        const claimed = new Set<string>();
        oracle.engines.forEach((engine, i) => {
          const mine = new Set(expected.templates[i][1].map((rel) => path.join(projectDir, rel)));
          for (const file of engine.files) {
            if (!file.startsWith(projectDir + path.sep) || claimed.has(file)) continue;
            claimed.add(file);
            assert.ok(mine.has(file), `${engine.backend} loads ${file}`);
          }
        });
      });

      for (const mode of expected.withoutDjango ? (['static'] as const) : (['static', 'django'] as const)) {
        it(`${mode} mode: every template in its engine, coverage, findings, collected paths`, async () => {
          const searchPath = mode === 'django' ? oraclePath : pythonPath;
          const env = searchPath ? { PYTHONPATH: searchPath } : undefined;
          const { model, index } = await loadProject(projectDir, { mode, python: DJANGO_PYTHON, env, settings: expected.settings });
          assert.equal(model.mode, mode, model.modeReason);
          const { templates, coverage } = await discoverTemplatesWithCoverage(model, { templateGlobs: [], ignoreGlobs: [] }, [projectDir]);
          const perEngine = model.templates.map((engine, i) => [
            engine.backend,
            templates
              .filter((t) => coverage.owners.get(t) === i)
              .map((t) => path.relative(projectDir, t))
              .sort(),
          ]);
          assert.deepEqual(perEngine, expected.templates);
          assert.equal(coverage.outside.count, expected.outside, JSON.stringify(coverage.outside));
          assert.deepEqual(await findingsOf(model, index, templates), [...expected.findings].sort());
          assert.deepEqual([...index.collectMap().keys()].sort(), oracle.collected);
        });
      }
    });
  }
});
