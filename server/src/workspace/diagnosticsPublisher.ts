import { promises as fs, readFileSync, statSync, Stats } from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import type { LanguageService, ServiceContext } from '../service';
import { isTemplateLanguage } from '../service';
import { isAffected, normalisePath, StaticDelta, ValidationFacts } from './affected';

/** Templates larger than this are not read from disk for workspace-wide checks (minified junk, dumps). */
const MAX_TEMPLATE_BYTES = 2 * 1024 * 1024;
/** Templates checked between two progress reports. */
const BATCH = 25;
/** The URL prefix the service recognises in hard-coded static URLs even when STATIC_URL is another. */
const HARDCODED_PREFIX = '/static/';

export interface ProgressHandle {
  report(percentage: number, message: string): void;
  done(): void;
}

/** What the publisher needs from the server; keeps this file free of connection code. */
export interface DiagnosticsHost {
  service: LanguageService;
  publish(uri: string, diagnostics: Diagnostic[]): void;
  openDocument(uri: string): TextDocument | undefined;
  openUris(): string[];
  contextFor(uri: string): ServiceContext | undefined;
  /** Starts work-done progress; resolves to a no-op handle when the client shows none. */
  beginProgress(title: string): Promise<ProgressHandle>;
  log(message: string): void;
}

/**
 * Publishes diagnostics for open documents and every workspace template: debounced while typing,
 * workspace-wide after a (re)learn with progress, and only for affected templates after a static file
 * appears or disappears. A failure publishes empty diagnostics so stale ones never linger.
 */
export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** What each validated document references, misses and was offered, to re-check only affected ones. */
  private readonly facts = new Map<string, ValidationFacts>();
  private readonly nonEmpty = new Set<string>();
  private workspaceUris = new Set<string>();
  private runId = 0;
  private learningProgress: Promise<ProgressHandle> | undefined;
  private readonly diskVersions = new Map<string, { key: string; version: number }>();
  private nextDiskVersion = -1;
  /** Open documents: the version and diagnostics last published. */
  private readonly shownOpen = new Map<string, string>();
  /** Where the latest workspace check spent its time (ms), for its log line. */
  private spent = { read: 0, check: 0, facts: 0, publish: 0 };

  constructor(private readonly host: DiagnosticsHost) {}

  schedule(uri: string, delayMs: number): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.validate(uri);
      }, delayMs),
    );
  }

  /** Shows progress from the start of learning until the workspace check after it ends. */
  beginLearning(): void {
    if (!this.learningProgress) this.learningProgress = this.host.beginProgress('Django static files: learning projects');
  }

  validateOpenDocuments(): void {
    for (const uri of this.host.openUris()) this.schedule(uri, 0);
  }

  /** Validates open documents first, then every workspace template; clears templates that are gone. */
  async validateEverything(templateUris: string[]): Promise<void> {
    const run = ++this.runId;
    const started = Date.now();
    this.spent = { read: 0, check: 0, facts: 0, publish: 0 };
    const cpuBefore = process.cpuUsage();
    const previous = this.workspaceUris;
    this.workspaceUris = new Set(templateUris);
    const open = new Set(this.host.openUris());
    for (const uri of previous) {
      if (!this.workspaceUris.has(uri) && !open.has(uri)) this.clear(uri);
    }
    const progress = await (this.learningProgress ?? this.host.beginProgress('Django static files: checking templates'));
    this.learningProgress = undefined;
    try {
      const queue = [...open, ...templateUris.filter((u) => !open.has(u))];
      for (let i = 0; i < queue.length; i++) {
        if (run !== this.runId) return; // superseded by a newer check
        const uri = queue[i];
        // Read at once, not through the thread pool: five round trips per template (stat, open, fstat, read,
        // close) cost more than the check itself, and a batch blocks for about a millisecond.
        const readStart = performance.now();
        const preread = open.has(uri) || !this.workspaceUris.has(uri) ? undefined : Promise.resolve(this.readTemplateNow(uri));
        this.spent.read += performance.now() - readStart;
        await this.validate(uri, preread);
        if (i % BATCH === BATCH - 1) progress.report(Math.round(((i + 1) * 100) / queue.length), `${i + 1}/${queue.length} templates`);
        // A turn of the event loop per template: the connection writes one message per turn, so the
        // notifications go out as they are made instead of piling up (and up the heap) behind the check.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const { read, check, facts, publish } = this.spent;
      const ms = (n: number): string => n.toFixed(0);
      // CPU time tells a busy machine from a slow check: wall time includes waiting for a core.
      const cpu = process.cpuUsage(cpuBefore);
      this.host.log(
        `Checked ${queue.length} templates in ${Date.now() - started} ms, ${ms((cpu.user + cpu.system) / 1000)} ms of CPU ` +
          `(reading ${ms(read)}, checking ${ms(check)}, recording references ${ms(facts)}, publishing ${ms(publish)}; the rest is other work and waiting).`,
      );
    } finally {
      progress.done();
    }
  }

  /**
   * Re-validates the documents a static change can affect (see isAffected): those referencing a changed
   * path, showing a removed one as a suggestion, or missing a path an added one may be suggested for.
   * Every document with references when the paths are unknown (null). Open documents go first.
   */
  validateAffected(destPaths: string[] | null, delta?: StaticDelta): void {
    const known = destPaths === null ? null : (delta ?? { added: destPaths, removed: destPaths });
    const changes = known && { added: known.added.map(normalise), removed: known.removed.map(normalise) };
    const open = new Set(this.host.openUris());
    const affected: string[] = [];
    for (const [uri, facts] of this.facts) {
      if (!changes ? facts.references.length > 0 : isAffected(facts, changes)) affected.push(uri);
    }
    affected.sort((a, b) => Number(open.has(b)) - Number(open.has(a)));
    for (const uri of affected) this.schedule(uri, 0);
  }

  /** Templates that appeared on disk: checked like the rest of the workspace. */
  templatesAdded(uris: string[]): void {
    for (const uri of uris) {
      this.workspaceUris.add(uri);
      this.schedule(uri, 0);
    }
  }

  /** Templates that left the workspace: their diagnostics go unless the document is open. */
  templatesRemoved(uris: string[]): void {
    const open = new Set(this.host.openUris());
    for (const uri of uris) {
      this.workspaceUris.delete(uri);
      if (open.has(uri)) this.schedule(uri, 0);
      else this.clear(uri);
    }
  }

  documentClosed(uri: string, stillWorkspaceTemplate: boolean): void {
    this.shownOpen.delete(uri);
    if (stillWorkspaceTemplate || this.workspaceUris.has(uri)) this.schedule(uri, 0);
    else this.clear(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.runId++;
  }

  /** `preread`: the template already being read from disk (used unless the document is open by now). */
  private async validate(uri: string, preread?: Promise<TextDocument | undefined>): Promise<void> {
    let diagnostics: Diagnostic[] = [];
    try {
      const doc = this.host.openDocument(uri) ?? (this.workspaceUris.has(uri) ? await (preread ?? this.readTemplate(uri)) : undefined);
      const ctx = doc && isTemplateLanguage(doc.languageId, uri) ? this.host.contextFor(uri) : undefined;
      if (doc && ctx) {
        const checkStart = performance.now();
        diagnostics = this.host.service.doValidation(doc, ctx);
        const factsStart = performance.now();
        this.facts.set(uri, this.factsOf(doc, diagnostics));
        this.spent.check += factsStart - checkStart;
        this.spent.facts += performance.now() - factsStart;
      } else {
        this.facts.delete(uri);
      }
    } catch (err) {
      this.host.log(`Validating ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      diagnostics = [];
    }
    // Publishing an empty list only matters when something was shown before; an open document checked
    // again at the same version with the same result (a final reading that agrees) is not sent again.
    const open = this.host.openDocument(uri);
    const shown = open && `${open.version}:${JSON.stringify(diagnostics)}`;
    if (shown && this.shownOpen.get(uri) === shown) return;
    if (shown) this.shownOpen.set(uri, shown);
    if (diagnostics.length > 0 || this.nonEmpty.has(uri) || open) {
      const publishStart = performance.now();
      this.host.publish(uri, diagnostics);
      this.spent.publish += performance.now() - publishStart;
    }
    if (diagnostics.length > 0) this.nonEmpty.add(uri);
    else this.nonEmpty.delete(uri);
  }

  /** References, missing references (matched to the service's references by range) and suggestions shown. */
  private factsOf(doc: TextDocument, diagnostics: Diagnostic[]): ValidationFacts {
    const references = this.host.service.referencedPaths(doc).map(normalise);
    const template = this.host.service.parseTemplate(doc);
    // A hard-coded `/static/…` URL is flagged only while the file exists (when STATIC_URL differs).
    for (const attribute of template.urlAttributes) {
      if (!attribute.value.startsWith(HARDCODED_PREFIX)) continue;
      const hardcoded = normalisePath(attribute.value.slice(HARDCODED_PREFIX.length).replace(/[?#].*$/, ''));
      if (hardcoded) references.push(hardcoded);
    }
    const missingAt = new Set<number>();
    const suggestions = new Set<string>();
    for (const d of diagnostics) {
      // Any finding about a path no source provides clears when the file appears.
      if (d.code !== 'missing-file' && d.code !== 'unknown-source' && d.code !== 'not-built') continue;
      missingAt.add(doc.offsetAt(d.range.start));
      const shown = (d.data as { suggestions?: unknown } | undefined)?.suggestions;
      if (Array.isArray(shown)) for (const s of shown) if (typeof s === 'string') suggestions.add(normalise(s));
    }
    const missing = new Set<string>();
    if (missingAt.size > 0) {
      for (const ref of template.references) {
        if (ref.kind !== 'literal' || !missingAt.has(ref.pathStart)) continue;
        // With and without a query string: hashed storage strips it before looking the path up.
        for (const value of [ref.value, ref.value.replace(/[?#].*$/, '')]) {
          const normalised = normalisePath(value);
          if (normalised !== null) missing.add(normalised);
        }
      }
    }
    return { references, missing: [...missing], suggestions: [...suggestions] };
  }

  /**
   * The documents referencing a path `matches` accepts: open ones as the editor has them now, closed ones
   * whose last check found such a reference, read from disk. What references and renames search, without
   * reading every template.
   */
  async documentsReferencing(matches: (path: string) => boolean): Promise<TextDocument[]> {
    const docs: TextDocument[] = [];
    // Open documents as they are now: the facts of one just edited (by a rename a moment ago) lag behind.
    const open = new Set(this.host.openUris());
    for (const uri of open) {
      const doc = this.host.openDocument(uri);
      if (doc && isTemplateLanguage(doc.languageId, uri) && this.host.service.referencedPaths(doc).some(matches)) docs.push(doc);
    }
    for (const [uri, facts] of this.facts) {
      if (open.has(uri) || !facts.references.some(matches) || !this.workspaceUris.has(uri)) continue;
      const doc = await this.readTemplate(uri).catch(() => undefined);
      if (doc) docs.push(doc);
    }
    return docs;
  }

  /**
   * Reads a closed template from disk. The service caches parses by uri+version, so each distinct
   * content on disk gets its own (negative, never an editor's) version; unchanged files keep theirs.
   */
  private async readTemplate(uri: string): Promise<TextDocument | undefined> {
    const file = URI.parse(uri).fsPath;
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile() || stat.size > MAX_TEMPLATE_BYTES) return undefined;
    return this.documentOf(uri, file, stat, await fs.readFile(file, 'utf8'));
  }

  /** readTemplate without the thread pool; undefined also when the file cannot be read. */
  private readTemplateNow(uri: string): TextDocument | undefined {
    const file = URI.parse(uri).fsPath;
    try {
      const stat = statSync(file);
      if (!stat.isFile() || stat.size > MAX_TEMPLATE_BYTES) return undefined;
      return this.documentOf(uri, file, stat, readFileSync(file, 'utf8'));
    } catch {
      return undefined;
    }
  }

  private documentOf(uri: string, file: string, stat: Stats, text: string): TextDocument {
    const key = `${stat.mtimeMs}:${stat.size}`;
    let known = this.diskVersions.get(uri);
    if (!known || known.key !== key) {
      known = { key, version: this.nextDiskVersion-- };
      this.diskVersions.set(uri, known);
    }
    return TextDocument.create(uri, languageIdFor(file), known.version, text);
  }

  private clear(uri: string): void {
    this.shownOpen.delete(uri);
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.facts.delete(uri);
    this.diskVersions.delete(uri);
    if (this.nonEmpty.delete(uri)) this.host.publish(uri, []);
  }
}


/** Language id for a template read from disk, as an editor would name it. */
export function languageIdFor(file: string): string {
  const ext = path.extname(file).toLowerCase();
  return ext === '.jinja' || ext === '.jinja2' || ext === '.j2' ? 'jinja' : 'django-html';
}

function normalise(p: string): string {
  return p.replace(/^\.?\/+/, '');
}
