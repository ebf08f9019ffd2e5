import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'fs';
import { fsAsync as fs } from '../engine/fsAsync';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic } from 'vscode-languageserver-types';
import { destinationOf } from '../engine/paths';
import type { NamedPath } from '../engine/referenceFindings';
import type { IndexQuestions, LanguageService, ServiceContext, StaticDelta } from '../service';
import { claimedKind, parseUri, readsDocument } from '../service';

/** Templates larger than this are not read from disk for workspace-wide checks (minified junk, dumps). */
const MAX_TEMPLATE_BYTES = 2 * 1024 * 1024;
/** What the workspace check reads a template into (one at a time): larger ones are read whole. */
const readAhead = Buffer.allocUnsafe(64 * 1024);
/** Templates checked between two progress reports. */
const BATCH = 25;
/** The workspace check works this long at most before other work (a request) gets a turn. */
const SLICE_MS = 2;
/** Open settings documents are checked again this long after the last template started or stopped using `{% static %}`. */
const SETTINGS_RECHECK_MS = 300;

/** What the publisher remembers about a document's last validation. */
interface Checked {
  /** What the validation asked the index: a change touching it re-checks the document. */
  asked: IndexQuestions;
  /** Destinations the document references (for references and renames without reading every template). */
  references: string[];
  /** Each literal reference's destination and 0-based line, for the project findings (see referenceSurvey). */
  named: Array<{ path: string; line: number }>;
  /** Whether the document builds a `{% static %}` path from a variable. */
  dynamic: boolean;
}

/** The templates' side of the reference survey, as the workspace check recorded it. */
export interface TemplateSurvey {
  named: NamedPath[];
  dynamicTemplates: string[];
}

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
  /** Work the document's check needs first, done in slices (a settings file's counts), or undefined when none. */
  prepare?(uri: string): Promise<unknown> | undefined;
  /** Starts work-done progress; resolves to a no-op handle when the client shows none. */
  beginProgress(title: string): Promise<ProgressHandle>;
  log(message: string): void;
  /**
   * The workspace check is done with a template no editor has open: what was kept to answer it (its parsed
   * model) may go now, while it is young, instead of surviving into the old generation behind 500 others.
   */
  doneWith?(uri: string): void;
  /** Whether the client sent something since the last call: the workspace check lets its handling go first. */
  inputArrived?(): boolean;
  /**
   * What referenceSurvey answers changed: for every template (the workspace check ended, `uri` undefined), or
   * for the template at `uri`, whose references changed since.
   */
  referencesChanged?(uri?: string): void;
}

/**
 * Publishes diagnostics for open documents and every workspace template: debounced while typing,
 * workspace-wide after a (re)learn with progress, and only for affected templates after a static file
 * appears or disappears. A failure publishes empty diagnostics so stale ones never linger.
 */
export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** What each validated document asked the index and references, to re-check only affected ones. */
  private readonly checked = new Map<string, Checked>();
  private readonly nonEmpty = new Set<string>();
  /** Template files whose last check found a `{% static %}` tag: what staticfiles-not-installed needs, without a second read. */
  private readonly staticTagUsers = new Set<string>();
  private workspaceUris = new Set<string>();
  private runId = 0;
  private learningProgress: Promise<ProgressHandle> | undefined;
  /** Open documents: the version and diagnostics last published. */
  private readonly shownOpen = new Map<string, string>();
  /** Where the latest workspace check spent its time (ms), for its log line. */
  private spent = { prepare: 0, read: 0, check: 0, publish: 0 };
  /** Whether a workspace check has run to its end: before that the records miss templates not yet read. */
  private everythingChecked = false;

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
    if (!this.learningProgress) this.learningProgress = this.host.beginProgress('Django Static Files: learning projects');
  }

  validateOpenDocuments(): void {
    for (const uri of this.host.openUris()) this.schedule(uri, 0);
  }

  /** Validates open documents first, then every workspace template; clears templates that are gone. */
  async validateEverything(templateUris: string[]): Promise<void> {
    const run = ++this.runId;
    this.everythingChecked = false;
    const started = Date.now();
    this.spent = { prepare: 0, read: 0, check: 0, publish: 0 };
    const cpuBefore = process.cpuUsage();
    const previous = this.workspaceUris;
    this.workspaceUris = new Set(templateUris);
    const open = new Set(this.host.openUris());
    for (const uri of previous) {
      if (!this.workspaceUris.has(uri) && !open.has(uri)) this.clear(uri);
    }
    const progress = await (this.learningProgress ?? this.host.beginProgress('Django Static Files: checking templates'));
    this.learningProgress = undefined;
    try {
      const queue = [...open, ...templateUris.filter((u) => !open.has(u))];
      let sliceStart = performance.now();
      // Requests, file events and the notifications made so far get a turn every few milliseconds; a turn
      // per template cost more than a check (the server's stdio writer sends at once, see stdioWriter.ts).
      const turn = async (): Promise<void> => {
        // A message that came in meanwhile is handled in a turn queued behind this check's: yield once more.
        do await new Promise((resolve) => setImmediate(resolve));
        while (this.host.inputArrived?.());
        sliceStart = performance.now();
      };
      const prepared = new Set<unknown>();
      for (let i = 0; i < queue.length; i++) {
        if (run !== this.runId) return; // superseded by a newer check
        const uri = queue[i];
        const ctx = this.host.contextFor(uri);
        if (ctx && !prepared.has(ctx.index)) {
          prepared.add(ctx.index);
          const prepareStart = performance.now();
          for (const _ of this.host.service.prepareValidation(ctx)) {
            if (performance.now() - sliceStart >= SLICE_MS) await turn();
            if (run !== this.runId) return;
          }
          this.spent.prepare += performance.now() - prepareStart;
        }
        // Read at once, not through the thread pool: five round trips per template (stat, open, fstat, read,
        // close) cost more than the check itself, and a batch blocks for about a millisecond.
        const readStart = performance.now();
        const doc = this.host.openDocument(uri) ?? (!open.has(uri) && this.workspaceUris.has(uri) ? this.readTemplateNow(uri) : undefined);
        this.spent.read += performance.now() - readStart;
        // Without a wait (the usual case) the document is checked in this turn: an await per template
        // cost a cold JIT more than the bookkeeping around the check.
        const readable = doc && readsDocument(doc.languageId, uri);
        if (doc && !this.needsPreparing(doc, uri)) this.checkNow(uri, doc, readable ? ctx : undefined);
        else await this.validate(uri, open.has(uri) ? undefined : Promise.resolve(doc), { ctx });
        if (!this.host.openDocument(uri)) this.host.doneWith?.(uri);
        if (i % BATCH === BATCH - 1) progress.report(Math.round(((i + 1) * 100) / queue.length), `${i + 1}/${queue.length} templates`);
        if (performance.now() - sliceStart >= SLICE_MS) await turn();
      }
      const { prepare, read, check, publish } = this.spent;
      const ms = (n: number): string => n.toFixed(0);
      // CPU time tells a busy machine from a slow check: wall time includes waiting for a core.
      const cpu = process.cpuUsage(cpuBefore);
      this.host.log(
        `Checked ${queue.length} templates in ${Date.now() - started} ms, ${ms((cpu.user + cpu.system) / 1000)} ms of CPU ` +
          `(${prepare >= 1 ? `preparing did-you-mean ${ms(prepare)}, ` : ''}reading ${ms(read)}, checking ${ms(check)}, publishing ${ms(publish)}; ` +
          'the rest is other work and waiting).',
      );
      this.everythingChecked = true;
      this.host.referencesChanged?.();
    } finally {
      progress.done();
    }
  }

  /**
   * Re-validates the documents whose last validation asked the index something the change touches (see
   * IndexQuestions.touchedBy). Every document that asked anything when the paths are unknown (null). Open
   * documents go first.
   */
  validateAffected(destPaths: string[] | null, delta?: StaticDelta): void {
    const known = destPaths === null ? null : (delta ?? { added: destPaths, removed: destPaths });
    const normalise = (p: string): string => destinationOf(p) ?? p;
    const changes = known && { added: known.added.map(normalise), removed: known.removed.map(normalise) };
    const open = new Set(this.host.openUris());
    const affected: string[] = [];
    for (const [uri, { asked }] of this.checked) {
      if (!changes ? !asked.empty : asked.touchedBy(changes)) affected.push(uri);
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

  /**
   * Of `templates` (files), those whose last check found a `{% static %}` tag, sorted. Only templates
   * checked so far count: an empty answer claims nothing.
   */
  templatesUsingStatic(templates: ReadonlySet<string>): string[] {
    return [...this.staticTagUsers].filter((file) => templates.has(file)).sort();
  }

  /**
   * What the templates among `templates` (files) reference, from their last checks; null until the workspace
   * check has read them all (unknown is not missing: a template not read yet would make files look unreferenced).
   */
  referenceSurvey(templates: ReadonlySet<string>): TemplateSurvey | null {
    if (!this.everythingChecked) return null;
    const survey: TemplateSurvey = { named: [], dynamicTemplates: [] };
    for (const [uri, checked] of this.checked) {
      const file = parseUri(uri).fsPath;
      if (!templates.has(file)) continue;
      for (const n of checked.named) survey.named.push({ path: n.path, file, line: () => n.line });
      if (checked.dynamic) survey.dynamicTemplates.push(file);
    }
    return survey;
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.runId++;
  }

  /**
   * `preread`: the template already being read from disk (used unless the document is open by now); `known`: its
   * context, when the caller just looked it up.
   */
  private async validate(
    uri: string,
    preread?: Promise<TextDocument | undefined>,
    known?: { ctx: ServiceContext | undefined },
  ): Promise<void> {
    let doc: TextDocument | undefined;
    let ctx: ServiceContext | undefined;
    try {
      doc = this.host.openDocument(uri) ?? (this.workspaceUris.has(uri) ? await (preread ?? this.readTemplate(uri)) : undefined);
      const readable = doc && readsDocument(doc.languageId, uri);
      const pending = readable && this.needsPreparing(doc!, uri) ? this.host.prepare?.(uri) : undefined;
      if (pending) await pending;
      // After awaiting the preparation the caller's context may be stale: look it up again.
      ctx = readable ? (known && !pending ? known.ctx : this.host.contextFor(uri)) : undefined;
    } catch (err) {
      this.checkNow(uri, undefined, undefined, err);
      return;
    }
    this.checkNow(uri, doc, ctx);
  }

  /** Only a settings document waits for work before its check (its counts, see DiagnosticsHost.prepare). */
  private needsPreparing(doc: TextDocument, uri: string): boolean {
    return !!this.host.prepare && claimedKind(doc.languageId, uri) === 'python-settings';
  }

  /**
   * Checks `doc` with `ctx` and publishes what it found; without either, forgets what the document had.
   * `failure`: reading or preparing it threw (logged; the document gets empty diagnostics).
   */
  private checkNow(uri: string, doc: TextDocument | undefined, ctx: ServiceContext | undefined, failure?: unknown): void {
    let diagnostics: Diagnostic[] = [];
    try {
      if (failure !== undefined) throw failure;
      if (doc && ctx) {
        const checkStart = performance.now();
        const validation = this.host.service.doValidationWithDependencies(doc, ctx);
        diagnostics = validation.diagnostics;
        const named: Checked['named'] = [];
        let dynamic = false;
        let tag = false;
        for (const r of this.host.service.parseTemplate(doc).references) {
          if (r.destination !== null) named.push({ path: r.destination, line: r.pathRange.start.line });
          if (r.kind === 'dynamic') dynamic = true;
          if (r.syntax === 'tag') tag = true;
        }
        const before = this.checked.get(uri);
        this.checked.set(uri, { asked: validation.asked, references: this.host.service.referencedPaths(doc), named, dynamic });
        const same = before
          ? before.dynamic === dynamic && JSON.stringify(before.named) === JSON.stringify(named)
          : !dynamic && !named.length;
        if (!same) this.noteReferences(uri);
        this.noteStaticTag(uri, tag);
        this.spent.check += performance.now() - checkStart;
      } else {
        if (this.checked.delete(uri)) this.noteReferences(uri);
        this.noteStaticTag(uri, false);
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

  /**
   * The documents referencing a path `matches` accepts: open ones as the editor has them now, closed ones
   * whose last check found such a reference, read from disk. What references and renames search, without
   * reading every template.
   */
  async documentsReferencing(matches: (path: string) => boolean): Promise<TextDocument[]> {
    const docs: TextDocument[] = [];
    // Open documents as they are now: the references of one just edited (by a rename a moment ago) lag behind.
    const open = new Set(this.host.openUris());
    for (const uri of open) {
      const doc = this.host.openDocument(uri);
      if (!doc || !readsDocument(doc.languageId, uri)) continue;
      if (this.host.service.referencedPaths(doc, this.host.contextFor(uri)).some(matches)) docs.push(doc);
    }
    for (const [uri, checked] of this.checked) {
      if (open.has(uri) || !checked.references.some(matches) || !this.workspaceUris.has(uri)) continue;
      const doc = await this.readTemplate(uri).catch(() => undefined);
      if (doc) docs.push(doc);
    }
    return docs;
  }

  /**
   * Reads a closed template from disk, as version 0: the service's model cache compares the text of
   * documents with the same version, so an unchanged file is not parsed again.
   */
  private async readTemplate(uri: string): Promise<TextDocument | undefined> {
    const file = parseUri(uri).fsPath;
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile() || stat.size > MAX_TEMPLATE_BYTES) return undefined;
    return TextDocument.create(uri, languageIdFor(file), 0, await fs.readFile(file, 'utf8'));
  }

  /**
   * readTemplate without the thread pool; undefined also when the file cannot be read. Most templates fit
   * in one read into a reused buffer: open, read, close, where a stat first cost as much as the read.
   */
  private readTemplateNow(uri: string): TextDocument | undefined {
    const file = parseUri(uri).fsPath;
    let fd: number | undefined;
    try {
      // Non-blocking, so a FIFO's open returns; an empty read then asks what the file is, as the stat did.
      fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
      const read = readSync(fd, readAhead, 0, readAhead.length, 0);
      let text: string;
      if (read === 0 && !fstatSync(fd).isFile()) return undefined;
      if (read < readAhead.length) text = readAhead.toString('utf8', 0, read);
      else {
        const stat = fstatSync(fd);
        if (!stat.isFile() || stat.size > MAX_TEMPLATE_BYTES) return undefined;
        text = readFileSync(fd, 'utf8');
      }
      return TextDocument.create(uri, languageIdFor(file), 0, text);
    } catch {
      return undefined; // a folder (EISDIR), gone, unreadable
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Records whether a template uses `{% static %}`; a change re-checks the open settings documents, which say so. */
  private noteStaticTag(uri: string, uses: boolean): void {
    const file = parseUri(uri).fsPath;
    if (uses === this.staticTagUsers.has(file)) return;
    if (uses) this.staticTagUsers.add(file);
    else this.staticTagUsers.delete(file);
    for (const open of this.host.openUris()) {
      const doc = this.host.openDocument(open);
      if (doc && claimedKind(doc.languageId, open) === 'python-settings') this.schedule(open, SETTINGS_RECHECK_MS);
    }
  }

  /** Between workspace checks, a template's references changed: the project findings follow. */
  private noteReferences(uri: string): void {
    if (this.everythingChecked) this.host.referencesChanged?.(uri);
  }

  private clear(uri: string): void {
    this.shownOpen.delete(uri);
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    if (this.checked.delete(uri)) this.noteReferences(uri);
    this.noteStaticTag(uri, false);
    if (this.nonEmpty.delete(uri)) this.host.publish(uri, []);
  }
}

/** Language id for a template read from disk, as an editor would name it. */
export function languageIdFor(file: string): string {
  return JINJA_FILE.test(file) ? 'jinja' : 'django-html';
}

/** A file name ending in .jinja, .jinja2 or .j2 (any case; a name that is only the extension has none). */
const JINJA_FILE = /[^/]\.(jinja2?|j2)$/i;
