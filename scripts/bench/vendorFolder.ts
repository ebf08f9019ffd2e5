/**
 * Completion in a 100,000-entry folder: a vendored `node_modules` package under a STATICFILES_DIRS prefix,
 * the monorepo case that a whole-folder answer cannot serve. In-process through the language service, as a
 * user types a name: one keystroke after another, each a new request (the list says it is incomplete, so
 * the client asks again). Its own small project, generated once next to the bench's others.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionList, Position } from 'vscode-languageserver-types';
import { benchRoot, MANAGE_PY } from './generate';
import { benchSettings, buildIndex, learnProject, loadLanguageService } from './engine';
import { DJANGO_PYTHON } from './reference';
import { now, percentile, reasonOf } from './stats';

export const VENDOR_FOLDER_ENTRIES = 100_000;
const GENERATOR_VERSION = 1;
/** What is typed, a character at a time, in each round (every name is `item_<n>.js`). */
const TYPED = 'item_4217';
const ROUNDS = 20;

/** Latency per keystroke, and how many items the first and the last keystroke got. */
export interface VendorFolderResult {
  p50: number;
  p95: number;
  max: number;
  samples: number;
  /** Size of the first answer as JSON (what is encoded and sent per keystroke at most). */
  firstBytes: number;
  firstItems: number;
  firstIncomplete: boolean;
  lastItems: number;
  /** The first request, which builds the folder's items. */
  coldMs: number;
}

interface Completer {
  doComplete(doc: TextDocument, pos: Position, ctx: unknown): CompletionList;
}

function generate(): string {
  const root = path.join(benchRoot(), `vendor-${VENDOR_FOLDER_ENTRIES}`);
  const marker = path.join(root, '.bench-generated.json');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === String(GENERATOR_VERSION)) return root;
  fs.rmSync(root, { recursive: true, force: true });
  const pkg = path.join(root, 'node_modules', 'pkg');
  fs.mkdirSync(pkg, { recursive: true });
  for (let i = 0; i < VENDOR_FOLDER_ENTRIES; i++) fs.writeFileSync(path.join(pkg, `item_${i}.js`), '');
  fs.mkdirSync(path.join(root, 'benchproj'), { recursive: true });
  fs.writeFileSync(path.join(root, 'manage.py'), MANAGE_PY);
  fs.writeFileSync(path.join(root, 'benchproj', '__init__.py'), '');
  fs.writeFileSync(
    path.join(root, 'benchproj', 'settings.py'),
    `from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nSECRET_KEY = 'bench'\n` +
      `INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_URL = '/static/'\nSTATICFILES_DIRS = [('vendor', BASE_DIR / 'node_modules')]\n`,
  );
  fs.writeFileSync(marker, String(GENERATOR_VERSION));
  return root;
}

export async function measureVendorFolder(): Promise<VendorFolderResult | { na: string }> {
  const service = loadLanguageService();
  if ('na' in service) return service;
  try {
    const root = generate();
    const model = await learnProject(root, { mode: 'static', python: DJANGO_PYTHON });
    const ctx = { model, index: await buildIndex(model), settings: benchSettings('static') };
    const ls = service.create() as unknown as Completer;
    const head = `{% load static %}<script src="{% static 'vendor/pkg/`;
    const ask = (typed: string): { list: CompletionList; ms: number } => {
      const doc = TextDocument.create('file:///bench/vendor.html', 'django-html', 1, `${head}${typed}' %}"></script>\n`);
      const start = now();
      const list = ls.doComplete(doc, { line: 0, character: head.length + typed.length }, ctx);
      return { list, ms: now() - start };
    };
    const cold = ask('');
    const samples: number[] = [];
    let first = cold.list;
    let last = cold.list;
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k <= TYPED.length; k++) {
        const { list, ms } = ask(TYPED.slice(0, k));
        samples.push(ms);
        if (k === 0) first = list;
        last = list;
      }
    }
    if (!last.items.some((i) => i.label === `${TYPED}.js`)) throw new Error(`${TYPED}.js not offered once typed`);
    return {
      p50: percentile(samples, 50),
      p95: percentile(samples, 95),
      max: Math.max(...samples),
      samples: samples.length,
      firstBytes: JSON.stringify(first).length,
      firstItems: first.items.length,
      firstIncomplete: first.isIncomplete,
      lastItems: last.items.length,
      coldMs: cold.ms,
    };
  } catch (err) {
    return { na: `completion in a ${VENDOR_FOLDER_ENTRIES}-entry folder failed (${reasonOf(err)})` };
  }
}
