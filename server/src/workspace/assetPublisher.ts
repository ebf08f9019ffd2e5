import { readFileSync } from 'fs';
import { Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { AssetPrediction, assetFindings, assetNamedKey, predictAssets } from '../engine/assets';
import { isInside } from '../engine/paths';
import type { DjangoStaticSettings } from '../protocol';
import { assetDiagnostics } from '../service';
import type { WorkspaceProject } from './projectManager';

/** Changes quiet this long before the projects' CSS and JS are replayed again (saves come in bursts). */
const QUIET_MS = 150;

/**
 * Above this many static paths the server does not replay a project's CSS and JS on its own (the check
 * command still does): the replay reads every CSS and JS file in one go, which at 1,000,000 files took
 * most of a minute and 700 MB, with the server unable to answer meanwhile.
 */
export const MAX_REPLAYED_PATHS = 200_000;

/** What the publisher needs from the server; keeps this file free of connection code. */
export interface AssetHost {
  /** Projects whose reading may show diagnostics. */
  projects(): WorkspaceProject[];
  settingsOf(projectDir: string): DjangoStaticSettings;
  /** Workspace folders: files outside them (third-party apps) are published only while open. */
  roots(): string[];
  /** An open document's text by absolute path: what the editor has, not what is saved. */
  openText(absPath: string): string | undefined;
  publish(uri: string, diagnostics: Diagnostic[]): void;
  log(message: string): void;
  /** A replay ended: what predictionOf answers may have changed; `changed`: the projects whose named paths did. */
  replayed?(changed: WorkspaceProject[]): void;
}

/**
 * Publishes what `django-static check` finds in CSS and JS (the engine's replay of collectstatic's
 * post-processing) on the files of the static sources. The replay runs on a timer after changes, never
 * inside a request; files whose findings went away get an empty list. After a save only what the saved files
 * reach is replayed again (the engine continues the last prediction); anything else replays the project.
 */
export class AssetPublisher {
  private timer: NodeJS.Timeout | undefined;
  /** The latest findings by uri, third-party files included (shown only while open). */
  private latest = new Map<string, Diagnostic[]>();
  /** What each uri was last sent, to send only changes. */
  private readonly shown = new Map<string, string>();
  /** "Not checked" reasons already logged, once each. */
  private readonly noted = new Set<string>();
  /** Each project's last prediction, which a replay after a save continues. */
  private readonly predictions = new WeakMap<WorkspaceProject, AssetPrediction>();
  /** What each project's reference findings last saw of its CSS and JS (see assetNamedKey). */
  private readonly namedKeys = new WeakMap<WorkspaceProject, string>();
  /** Source files whose text changed since the last replay; null: replay everything. */
  private changed: Set<string> | null = null;
  /** Milliseconds the last replay took, and how many files it re-ran (for the log and the benchmark). */
  lastReplay = { ms: 0, replayed: 0 };

  constructor(private readonly host: AssetHost) {}

  /**
   * Replays again once changes have been quiet for a moment: only what `changedFiles` (CSS, JS or any static
   * file whose text changed) reach, or every project when none are named.
   */
  schedule(delayMs = QUIET_MS, changedFiles?: string[]): void {
    if (!changedFiles) this.changed = null;
    else if (this.changed || this.timer === undefined) {
      this.changed ??= new Set();
      for (const f of changedFiles) this.changed.add(f);
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, delayMs);
  }

  /** Shows or hides the files outside the workspace as documents open and close (nothing is recomputed). */
  sync(): void {
    const wanted = new Map<string, Diagnostic[]>();
    for (const [uri, diagnostics] of this.latest) {
      const file = URI.parse(uri).fsPath;
      if (this.inWorkspace(file) || this.host.openText(file) !== undefined) wanted.set(uri, diagnostics);
    }
    for (const uri of this.shown.keys()) if (!wanted.has(uri)) wanted.set(uri, []);
    for (const [uri, diagnostics] of wanted) {
      const key = JSON.stringify(diagnostics);
      if ((this.shown.get(uri) ?? '[]') === key) continue;
      this.host.publish(uri, diagnostics);
      if (diagnostics.length) this.shown.set(uri, key);
      else this.shown.delete(uri);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private refresh(): void {
    const started = Date.now();
    const changed = this.changed;
    this.changed = new Set();
    let replayed = 0;
    const latest = new Map<string, Diagnostic[]>();
    let files = 0;
    const namedChanged: WorkspaceProject[] = [];
    for (const project of this.host.projects()) {
      try {
        const counts = this.replay(project, latest, changed);
        files += counts.files;
        replayed += counts.replayed;
      } catch (err) {
        // Unknown is not missing: what this project's files showed is dropped rather than kept stale.
        this.host.log(
          `Checking the CSS and JS of ${project.location.projectDir} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
      }
      // A save that moves no reference leaves the project's reference findings as they are.
      const replay = this.replayOf(project);
      const key = replay === undefined ? 'none' : typeof replay === 'string' ? `not replayed: ${replay}` : assetNamedKey(replay);
      if (this.namedKeys.get(project) !== key) namedChanged.push(project);
      this.namedKeys.set(project, key);
    }
    this.latest = latest;
    this.sync();
    this.lastReplay = { ms: Date.now() - started, replayed };
    this.host.log(`Checked the references of ${files} CSS/JS files in ${this.lastReplay.ms} ms (${replayed} files replayed).`);
    this.host.replayed?.(namedChanged);
  }

  /** One project's findings into `into`; counts the CSS/JS files with references, and the files replayed. */
  private replay(
    project: WorkspaceProject,
    into: Map<string, Diagnostic[]>,
    changed: Set<string> | null,
  ): { files: number; replayed: number } {
    if (project.index.size > MAX_REPLAYED_PATHS) {
      const note =
        `${project.location.projectDir}: CSS and JS references not checked: ${project.index.size.toLocaleString('en')} static paths ` +
        `is more than the ${MAX_REPLAYED_PATHS.toLocaleString('en')} the language server replays; \`django-static check\` checks them.`;
      if (!this.noted.has(note)) this.host.log(note);
      this.noted.add(note);
      return { files: 0, replayed: 0 };
    }
    const open = (absPath: string): string | undefined => this.host.openText(absPath);
    const previous = changed ? this.predictions.get(project) : undefined;
    this.predictions.delete(project);
    const prediction = predictAssets(project.model, project.index, {
      readSource: (absPath) => {
        const text = open(absPath);
        return text === undefined ? readOrNull(absPath) : Buffer.from(text, 'utf8');
      },
      previous,
      changed: changed ?? undefined,
    });
    this.predictions.set(project, prediction);
    if (prediction.unknown) {
      const note = `${project.location.projectDir}: CSS and JS references not checked: ${prediction.unknown}`;
      if (!this.noted.has(note)) this.host.log(note);
      this.noted.add(note);
      return { files: 0, replayed: 0 };
    }
    const findings = assetFindings(prediction, (absPath) => open(absPath) ?? readOrNull(absPath)?.toString('utf8') ?? null);
    const overrides = this.host.settingsOf(project.location.projectDir).severity;
    for (const [file, diagnostics] of assetDiagnostics(findings, overrides)) {
      const uri = URI.file(file).toString();
      into.set(uri, [...(into.get(uri) ?? []), ...diagnostics]);
    }
    const memory = prediction.result?.memory;
    return { files: memory ? memory.references.size : 0, replayed: memory?.replayed ?? 0 };
  }

  /** The project's last prediction (for the hover's predicted manifest); undefined before the first replay. */
  predictionOf(project: WorkspaceProject): AssetPrediction | undefined {
    return this.predictions.get(project);
  }

  /** The last prediction, or why the server does not replay this project (a sentence); undefined before the first replay. */
  replayOf(project: WorkspaceProject): AssetPrediction | string | undefined {
    if (project.index.size > MAX_REPLAYED_PATHS)
      return `the server does not replay projects of more than ${MAX_REPLAYED_PATHS.toLocaleString('en')} static paths`;
    return this.predictions.get(project);
  }

  private inWorkspace(file: string): boolean {
    return this.host.roots().some((root) => isInside(root, file));
  }
}

function readOrNull(absPath: string): Buffer | null {
  try {
    return readFileSync(absPath);
  } catch {
    return null;
  }
}
