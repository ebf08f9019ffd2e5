/**
 * Completion of static paths inside `{% static '…' %}` / `static('…')`, one folder at a time, and of the
 * tag itself after `{% sta`. Works on the line left of the cursor because a tag being typed is usually
 * not closed yet (Django tags never span lines, so the line is enough).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  Command,
  CompletionItem,
  CompletionItemKind,
  CompletionList,
  InsertTextFormat,
  MarkupKind,
  Position,
  Range,
  TextEdit,
} from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { assetFolderOf } from '../engine/assets';
import { FolderChild, ignoredByCollectstatic, StaticIndexApi, StaticSource } from '../engine/indexTypes';
import { destinationOf, folderNumber, joinRel } from '../engine/paths';
import { escapeMarkdown, markdownCode } from '../text';
import { formatSize, indexStamp, isImage, shownPath, staticIsBuiltin } from './context';
import { addLoadStaticEdit } from './edits';
import { isAssetKind } from './readers';
import { referenceAt } from './resolve';
import { DocumentModel } from './templateModel';
import type { ServiceContext } from './types';

const DJANGO_PATH_PREFIX = /\{%-?\s*static\s+(?:_\()?(['"])([^'"]*)$/;
const JINJA_PATH_PREFIX = /(?<![\w.])static\s*\(\s*(['"])([^'"]*)$/;
const DJANGO_TAG_PREFIX = /\{%-?(\s*)([a-z]*)$/;
const JINJA_TAG_PREFIX = /\{\{-?(\s*)([a-z]*)$/;
const SEGMENT_END = /['"/\s]/;
/**
 * Outside django-html, VS Code's HTML auto-closing may turn `{` into `{}`, so a tag typed by hand reads
 * `{% sta}` or `{% static 'css/'}`: the lone `}` is auto-closing's, not the end of the tag.
 */
const DJANGO_TAG_AUTO_CLOSED = /^\s*(?:-?%\}|\}(?!\}))/;
const LONE_BRACE = /^[ \t]*\}(?!\})/;

export const TRIGGER_SUGGEST: Command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

/** Which `CompletionList.itemDefaults` (LSP 3.17) the client fills into items that leave them out. */
export interface CompletionDefaults {
  editRange: boolean;
  data: boolean;
}

const NO_DEFAULTS: CompletionDefaults = { editRange: false, data: false };

export function doComplete(
  doc: TextDocument,
  pos: Position,
  ctx: ServiceContext,
  template: DocumentModel,
  defaults: CompletionDefaults = NO_DEFAULTS,
): CompletionList {
  const empty: CompletionList = { isIncomplete: false, items: [] };
  const offset = doc.offsetAt(pos);
  if (isAssetKind(template.flavor)) return completeAssetPath(doc, pos, offset, ctx, template, defaults) ?? empty;
  if (template.skipped.some(([start, end]) => offset > start && offset < end)) return empty;
  const lineText = doc.getText({ start: { line: pos.line, character: 0 }, end: { line: pos.line + 1, character: 0 } });
  const before = lineText.slice(0, pos.character);
  const after = lineText.slice(pos.character).replace(/\r?\n$/, '');
  const pathMatch = (template.flavor === 'jinja' ? JINJA_PATH_PREFIX : DJANGO_PATH_PREFIX).exec(before);
  if (pathMatch) {
    const typed = pathMatch[2];
    const slash = typed.lastIndexOf('/');
    const folder = destinationOf(typed.slice(0, slash + 1));
    const list = folder === null ? undefined : completePath(folder, typed.slice(slash + 1), pos, after, ctx, defaults);
    return (list && template.flavor !== 'jinja' ? closeTag(list, pos, after, pathMatch[1]) : list) ?? empty;
  }
  const tagMatch = (template.flavor === 'jinja' ? JINJA_TAG_PREFIX : DJANGO_TAG_PREFIX).exec(before);
  // Not in the middle of a word: `{% sta|tic 'x' %}` is an existing tag being edited.
  if (tagMatch && 'static'.startsWith(tagMatch[2]) && !/^[\w]/.test(after)) {
    return { isIncomplete: false, items: [tagSnippet(doc, pos, offset, tagMatch[0].length, after, ctx, template)] };
  }
  return empty;
}

/**
 * Inside a URL of a CSS/JS file the storage reads (`url(…)`, `@import`, a source map, an import): the folder
 * is the one the storage would look in for what is typed, relative to the file's destination. A URL it
 * leaves alone (`https:`, outside STATIC_URL) gets nothing.
 */
function completeAssetPath(
  doc: TextDocument,
  pos: Position,
  offset: number,
  ctx: ServiceContext,
  template: DocumentModel,
  defaults: CompletionDefaults,
): CompletionList | undefined {
  const ref = referenceAt(template.references, offset);
  if (!template.asset || !ref || offset < ref.pathStart || offset > ref.pathEnd) return undefined;
  const text = doc.getText();
  // A URL an earlier pattern wrote has no place of its own in the text (its range is the whole match).
  if (text.slice(ref.pathStart, ref.pathEnd) !== ref.value) return undefined;
  const typed = text.slice(ref.pathStart, offset);
  const slash = typed.lastIndexOf('/');
  const folder = assetFolderOf(template.asset, typed.slice(0, slash + 1));
  if (folder === null) return undefined;
  return completePath(folder, typed.slice(slash + 1), pos, text.slice(offset, ref.pathEnd), ctx, defaults);
}

/**
 * Every item of a folder shares the edit range and the folder id (its `data`). With a client that takes
 * them from `itemDefaults`, a 5,000-entry answer shrinks to labels and kinds (most of the cost of an
 * answer is encoding it), and the cached items go out as they are. `after`: the text right of the cursor
 * that the name being typed may run into.
 */
function completePath(
  folder: string,
  segment: string,
  pos: Position,
  after: string,
  ctx: ServiceContext,
  defaults: CompletionDefaults,
): CompletionList | undefined {
  if (folder !== '' && !ctx.index.isFolder(folder)) return undefined;
  const rightLength = after.search(SEGMENT_END);
  const range = Range.create(
    { line: pos.line, character: pos.character - segment.length },
    { line: pos.line, character: pos.character + (rightLength === -1 ? after.length : rightLength) },
  );
  const slashFollows = rightLength !== -1 && after[rightLength] === '/';
  const folderId = folderIdOf(ctx.index, folder);
  const { cached, isIncomplete } = itemsFor(ctx.index, folderItems(ctx.index, folder), segment);
  const items: CompletionItem[] = new Array(cached.length);
  for (let k = 0; k < cached.length; k++) {
    const item = cached[k];
    const isFile = item.kind === CompletionItemKind.File;
    // A folder chosen before an existing slash must not add a second one.
    const newText = !isFile && slashFollows ? item.filterText! : item.label;
    if (defaults.editRange && (defaults.data || !isFile) && newText === item.label) {
      items[k] = item;
      continue;
    }
    const data = isFile && !defaults.data ? folderId : undefined;
    if (!defaults.editRange) {
      // One literal shape for every item keeps this copy fast (absent fields are dropped when encoded).
      items[k] = {
        label: item.label,
        kind: item.kind,
        labelDetails: item.labelDetails,
        detail: item.detail,
        sortText: item.sortText,
        filterText: item.filterText,
        command: item.command,
        data,
        textEdit: { range, newText },
      };
    } else {
      const sent: CompletionItem = { ...item };
      if (data !== undefined) sent.data = data;
      if (newText !== item.label) sent.textEditText = newText;
      items[k] = sent;
    }
  }
  const list: CompletionList = { isIncomplete, items };
  if (defaults.editRange || defaults.data) {
    list.itemDefaults = {};
    if (defaults.editRange) list.itemDefaults.editRange = range;
    if (defaults.data) list.itemDefaults.data = folderId;
  }
  return list;
}

/**
 * A tag whose path is quoted but that is not closed on the line (`{% static 'css/'`, or `{% static 'css/'}`
 * with HTML's auto-closed `}`): every item also closes it with ` %}`, replacing that `}`. Rare, so the
 * items are copied. A path whose quote is not closed yet is left to the user.
 */
function closeTag(list: CompletionList, pos: Position, after: string, quote: string): CompletionList {
  const quoteEnd = after.indexOf(quote);
  if (quoteEnd === -1) return list;
  const rest = after.slice(quoteEnd + 1);
  const closeAt = rest.indexOf('%}');
  const nextTag = rest.indexOf('{%');
  if (closeAt !== -1 && (nextTag === -1 || closeAt < nextTag)) return list;
  const start = pos.character + quoteEnd + 1;
  const close = TextEdit.replace(
    Range.create({ line: pos.line, character: start }, { line: pos.line, character: start + (LONE_BRACE.exec(rest)?.[0].length ?? 0) }),
    ' %}',
  );
  return { ...list, items: list.items.map((item) => ({ ...item, additionalTextEdits: [close] })) };
}

/**
 * A folder up to this size is sent whole and the client filters it as the user types (the benchmark's
 * 5,000-entry folder costs a few milliseconds over LSP).
 */
export const WHOLE_FOLDER_ITEMS = 10_000;
/**
 * A bigger folder (a vendored `node_modules` under a prefix: 100,000 entries) sends at most this many items
 * whose name starts with what was typed, marked incomplete so the client asks again as the user types and
 * the list narrows: sending and filtering 100,000 items on every keystroke took longer than typing.
 */
export const INCOMPLETE_ITEMS = 1_000;

/**
 * One folder's items: all of them for a folder sent whole; for a big one, its children by name with their
 * filter keys (lowercase) in sorted order, each item built the first time it is sent (building 100,000
 * items, one index lookup each, made the first keystroke in a vendored folder take most of a second).
 */
interface FolderItems {
  items: CompletionItem[];
  big?: BigFolder;
}

interface BigFolder {
  folder: string;
  folders: FolderChild[];
  files: string[];
  keys: string[];
  /** Child numbers (folders first, then files) in key order. */
  order: Uint32Array;
  /** Built items by child number; null where a listed file had no entry. */
  made: Array<CompletionItem | null | undefined>;
}

interface FolderCache {
  stamp: string;
  folders: Map<string, FolderItems>;
}

/** The items to send for what is typed in the folder: all of a small folder, a bounded slice of a big one. */
function itemsFor(index: StaticIndexApi, folder: FolderItems, typed: string): { cached: CompletionItem[]; isIncomplete: boolean } {
  const big = folder.big;
  if (!big) return { cached: folder.items, isIncomplete: false };
  const { keys, order } = big;
  const prefix = typed.toLowerCase();
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid] < prefix) low = mid + 1;
    else high = mid;
  }
  const cached: CompletionItem[] = [];
  let k = low;
  for (; k < keys.length && cached.length < INCOMPLETE_ITEMS && keys[k].startsWith(prefix); k++) {
    const item = bigFolderItem(index, big, order[k]);
    if (item) cached.push(item);
  }
  // Complete once every name with this prefix fits: typing further only narrows what the client has.
  return { cached, isIncomplete: k < keys.length && keys[k].startsWith(prefix) };
}

function bigFolder(folder: string, folders: FolderChild[], files: string[]): BigFolder {
  const keys = [...folders.map((child) => child.name), ...files].map((name) => name.toLowerCase());
  const order = Uint32Array.from(keys.keys()).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
  return { folder, folders, files, keys: Array.from(order, (i) => keys[i]), order, made: new Array(keys.length) };
}

function bigFolderItem(index: StaticIndexApi, big: BigFolder, child: number): CompletionItem | null {
  let item = big.made[child];
  if (item === undefined) {
    if (child < big.folders.length) item = folderItem(big.folders[child]);
    else {
      const name = big.files[child - big.folders.length];
      const entry = index.get(joinRel(big.folder, name));
      // Folders and ignored files are ordered through sortText, as in a folder sent whole that has them.
      item = entry ? fileItem({ name, isFolder: false, entry, sources: entry.providers.map((p) => p.source) }, true) : null;
    }
    big.made[child] = item;
  }
  return item;
}

/**
 * Items per folder, built once per index state: completion runs on every keystroke in the same folder,
 * and building a 5,000-entry folder (index lookups) costs far more than copying it.
 */
const folderCache = new WeakMap<StaticIndexApi, FolderCache>();

/**
 * Folder ids per index, so a file item's `data` is a small number rather than its path. Kept across
 * index changes (an id must still name the same folder when its item comes back for resolving).
 */
const folderIds = new WeakMap<StaticIndexApi, { ids: Map<string, number>; names: string[] }>();

function folderIdOf(index: StaticIndexApi, folder: string): number {
  let registry = folderIds.get(index);
  if (!registry) {
    registry = { ids: new Map(), names: [] };
    folderIds.set(index, registry);
  }
  return folderNumber(registry.ids, registry.names, folder);
}

function folderItems(index: StaticIndexApi, folder: string): FolderItems {
  let cache = folderCache.get(index);
  if (!cache || cache.stamp !== indexStamp(index)) {
    cache = { stamp: indexStamp(index), folders: new Map() };
    folderCache.set(index, cache);
  }
  let items = cache.folders.get(folder);
  if (!items) {
    const listing = index.listChildren(folder);
    if (listing.folders.length + listing.files.length > WHOLE_FOLDER_ITEMS) {
      items = { items: [], big: bigFolder(folder, listing.folders, listing.files) };
    } else {
      // Each listed file has an entry; which are ignored is all an item needs of it (no entry built per file).
      const ignored = index.ignoredFiles(folder, listing);
      // Folders sort first and ignored files last through sortText; without either, the labels alone give the order.
      const sortFiles = listing.folders.length > 0 || ignored.size > 0;
      const { folders, files } = listing;
      const whole: CompletionItem[] = [];
      let f = 0;
      for (const name of files) {
        // In children()'s order: a folder before a file of the same name.
        while (f < folders.length && folders[f].name <= name) whole.push(folderItem(folders[f++]));
        whole.push(namedFileItem(name, ignored.has(name), sortFiles));
      }
      while (f < folders.length) whole.push(folderItem(folders[f++]));
      items = { items: whole };
    }
    cache.folders.set(folder, items);
  }
  return items;
}

/**
 * Cached items hold what does not depend on the cursor: the edit (whose text is the label, or the name
 * alone before an existing slash) and the folder id are added per answer, or left to `itemDefaults`.
 */
function folderItem(child: FolderChild): CompletionItem {
  return {
    label: child.name + '/',
    kind: CompletionItemKind.Folder,
    detail: sourceNames(child.sources),
    sortText: '0' + child.name,
    filterText: child.name,
    command: TRIGGER_SUGGEST,
  };
}

/**
 * The list carries only what filtering and sorting need: a 5,000-file folder is sent on every keystroke,
 * so the detail (source, size: a stat per file) and the markdown (image preview, shadowed copies) are
 * left to `resolveCompletionItem`, which finds the file from the folder id in `data` and the label. The
 * filter text and the inserted text default to the label.
 */
function fileItem(child: FolderChild, sortFiles: boolean): CompletionItem {
  const item = namedFileItem(child.name, !child.isFolder && ignoredByCollectstatic(child.entry), sortFiles);
  if (!child.entry?.providers.length) item.detail = sourceNames(child.sources);
  return item;
}

function namedFileItem(name: string, ignored: boolean, sortFiles: boolean): CompletionItem {
  const item: CompletionItem = { label: name, kind: CompletionItemKind.File };
  // Offered (development serves it) but said beside the name: production 404s on it.
  if (ignored) item.labelDetails = { description: 'ignored by collectstatic' };
  if (sortFiles) item.sortText = (ignored ? '2' : '1') + name;
  return item;
}

/**
 * Adds the detail and documentation a static file item left out of the list. The folder id comes in
 * `data`, the item's own or the list's `itemDefaults.data`, which the client applies to the item it sends
 * back (LSP 3.17: an item without a value takes the list's default).
 */
export function resolveCompletionItem(item: CompletionItem, ctx: ServiceContext): CompletionItem {
  if (item.kind !== CompletionItemKind.File || typeof item.data !== 'number' || item.detail !== undefined) return item;
  const folder = folderIds.get(ctx.index)?.names[item.data];
  if (folder === undefined) return item;
  const path = joinRel(folder, item.label);
  const entry = ctx.index.get(path);
  const providers = entry?.providers ?? [];
  const winner = providers[0];
  if (!winner) return item;
  const resolved: CompletionItem = { ...item, detail: `${winner.source.shortLabel} · ${formatSize(winner.size)}` };
  const notes: string[] = [];
  if (isImage(path)) notes.push(`![${escapeMarkdown(path)}](${URI.file(winner.absPath).toString()})`);
  if (providers.length > 1) {
    const shadowed = providers
      .slice(1)
      .map((p) => `- ${escapeMarkdown(p.source.shortLabel)}: ${markdownCode(shownPath(p.absPath, ctx.model))}`);
    notes.push(`Shadowed copies (collectstatic keeps the ${escapeMarkdown(winner.source.shortLabel)} one):\n${shadowed.join('\n')}`);
  }
  if (ignoredByCollectstatic(entry)) notes.push('collectstatic ignores this file (ignore patterns).');
  if (notes.length > 0) resolved.documentation = { kind: MarkupKind.Markdown, value: notes.join('\n\n') };
  return resolved;
}

function sourceNames(sources: StaticSource[]): string {
  return sources.map((source) => source.shortLabel).join(', ');
}

/** `{% static '…' %}` (or Jinja2's `{{ static('…') }}`), adding `{% load static %}` when it would be missing. */
function tagSnippet(
  doc: TextDocument,
  pos: Position,
  offset: number,
  typedLength: number,
  after: string,
  ctx: ServiceContext,
  template: DocumentModel,
): CompletionItem {
  const jinja = template.flavor === 'jinja';
  const autoClosed = (jinja ? /^\s*-?\}\}/ : DJANGO_TAG_AUTO_CLOSED).exec(after);
  const range = Range.create(
    { line: pos.line, character: pos.character - typedLength },
    { line: pos.line, character: pos.character + (autoClosed ? autoClosed[0].length : 0) },
  );
  const snippet = jinja ? "{{ static('$1') }}$0" : "{% static '$1' %}$0";
  const item: CompletionItem = {
    label: jinja ? "{{ static('…') }}" : "{% static '…' %}",
    kind: CompletionItemKind.Snippet,
    detail: jinja ? 'Jinja2 static() call' : 'Django {% static %} tag',
    filterText: jinja ? '{{ static' : '{% static',
    sortText: '0static',
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: TextEdit.replace(range, snippet),
    command: TRIGGER_SUGGEST,
  };
  if (!jinja && !staticLoadedBefore(template, offset) && !staticIsBuiltin(ctx.model)) {
    item.additionalTextEdits = [addLoadStaticEdit(doc, template)];
    item.documentation = 'Also adds `{% load static %}`.';
  }
  return item;
}

function staticLoadedBefore(template: DocumentModel, offset: number): boolean {
  return template.loads.some(
    (load) =>
      load.tagEnd <= offset &&
      load.libraries.some((lib) => lib.name === 'static') &&
      (load.names.length === 0 || load.names.includes('static')),
  );
}
