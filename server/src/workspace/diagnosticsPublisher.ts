import { promises as fs } from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import type { LanguageService, ServiceContext } from '../service';
import { isTemplateLanguage } from '../service';

/** Templates larger than this are not read from disk for workspace-wide checks (minified junk, dumps). */
const MAX_TEMPLATE_BYTES = 2 * 1024 * 1024;
/** Templates checked between two yields to the event loop, so requests are answered during a big check. */
const BATCH = 25;

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
  /** Static paths each validated document references (normalised). */
  private readonly references = new Map<string, string[]>();
  /** Documents whose last diagnostics include missing files: new files may fix them or change suggestions. */
  private readonly withMissing = new Set<string>();
  private readonly nonEmpty = new Set<string>();
  private workspaceUris = new Set<string>();
  private runId = 0;
  private learningProgress: Promise<ProgressHandle> | undefined;
  private readonly diskVersions = new Map<string, { key: string; version: number }>();
  private nextDiskVersion = -1;

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
        await this.validate(queue[i]);
        if (i % BATCH === BATCH - 1) {
          progress.report(Math.round(((i + 1) * 100) / queue.length), `${i + 1}/${queue.length} templates`);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      this.host.log(`Checked ${queue.length} templates in ${Date.now() - started} ms.`);
    } finally {
      progress.done();
    }
  }

  /**
   * Re-validates the documents that reference one of `destPaths` (or a folder of it), and those with
   * missing files; every document with references when the paths are unknown (null).
   */
  validateAffected(destPaths: string[] | null): void {
    const changed = destPaths?.map(normalise);
    for (const [uri, refs] of this.references) {
      const affected = !changed || this.withMissing.has(uri) || refs.some((ref) => changed.some((dest) => related(ref, dest)));
      if (affected) this.schedule(uri, 0);
    }
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
    if (stillWorkspaceTemplate || this.workspaceUris.has(uri)) this.schedule(uri, 0);
    else this.clear(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.runId++;
  }

  private async validate(uri: string): Promise<void> {
    let diagnostics: Diagnostic[] = [];
    try {
      const doc = this.host.openDocument(uri) ?? (this.workspaceUris.has(uri) ? await this.readTemplate(uri) : undefined);
      const ctx = doc && isTemplateLanguage(doc.languageId, uri) ? this.host.contextFor(uri) : undefined;
      if (doc && ctx) {
        diagnostics = this.host.service.doValidation(doc, ctx);
        this.references.set(uri, this.host.service.referencedPaths(doc).map(normalise));
      } else {
        this.references.delete(uri);
      }
    } catch (err) {
      this.host.log(`Validating ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      diagnostics = [];
    }
    if (diagnostics.some((d) => d.code === 'missing-file')) this.withMissing.add(uri);
    else this.withMissing.delete(uri);
    // Publishing an empty list only matters when something was shown before.
    if (diagnostics.length > 0 || this.nonEmpty.has(uri) || this.host.openDocument(uri)) {
      this.host.publish(uri, diagnostics);
    }
    if (diagnostics.length > 0) this.nonEmpty.add(uri);
    else this.nonEmpty.delete(uri);
  }

  /**
   * Reads a closed template from disk. The service caches parses by uri+version, so each distinct
   * content on disk gets its own (negative, never an editor's) version; unchanged files keep theirs.
   */
  private async readTemplate(uri: string): Promise<TextDocument | undefined> {
    const file = URI.parse(uri).fsPath;
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile() || stat.size > MAX_TEMPLATE_BYTES) return undefined;
    const text = await fs.readFile(file, 'utf8');
    const key = `${stat.mtimeMs}:${stat.size}`;
    let known = this.diskVersions.get(uri);
    if (!known || known.key !== key) {
      known = { key, version: this.nextDiskVersion-- };
      this.diskVersions.set(uri, known);
    }
    return TextDocument.create(uri, languageIdFor(file), known.version, text);
  }

  private clear(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.references.delete(uri);
    this.withMissing.delete(uri);
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

/** A reference is affected when it names the changed path, a folder holding it, or something below it. */
function related(ref: string, dest: string): boolean {
  return ref === dest || dest.startsWith(`${ref}/`) || ref.startsWith(`${dest}/`);
}
