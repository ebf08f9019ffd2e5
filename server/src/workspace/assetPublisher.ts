import { readFileSync } from 'fs';
import { Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { AssetPrediction, assetFindingSteps, assetNamedKey, predictSteps } from '../engine/assets';
import { isInside } from '../engine/paths';
import { inSlices } from '../engine/slices';
import type { DjangoStaticSettings } from '../protocol';
import { assetDiagnostics } from '../service';
import type { WorkspaceProject } from './projectManager';

/** Changes quiet this long before the projects' CSS and JS are replayed again (saves come in bursts). */
const QUIET_MS = 150;
/** The replay runs this long at a time, then lets requests in (100k files: 1.5 s of work in all). */
const SLICE_MS = 10;

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
 * inside a request, in slices with requests answered between them; files whose findings went away get an
 * empty list. After a save only what the saved files reach is replayed again (the engine continues the last
 * prediction); anything else replays the project. A replay overtaken by a change is never published: one
 * that a file coming or going or a re-learn made useless stops at its next pause, one that a save overtook
 * is finished (the next replay continues it) and the next one publishes.
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
  /** Moves on with every schedule: a replay begun before it is overtaken. */
  private scheduled = 0;
  /** The replay running, if any: one at a time, since each continues the predictions the last one left. */
  private running: Promise<void> | undefined;
  /** The project being replayed; `readMidway`: the projects someone asked about meanwhile (and got nothing). */
  private replaying: WorkspaceProject | undefined;
  private readonly readMidway = new Set<WorkspaceProject>();
  private closed = false;
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
    this.scheduled++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start();
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
    this.timer = undefined;
    this.scheduled++;
    this.changed = null; // a replay running stops at its next pause
    this.closed = true;
  }

  /** Starts a replay unless one runs: that one is overtaken, and starts the next itself once it has stopped. */
  private start(): void {
    if (this.running) return;
    this.running = (async () => {
      try {
        // Overtaken with no timer left to start the next: the timer of the change that overtook it has fired.
        while ((await this.refresh()) === 'overtaken' && this.timer === undefined && !this.closed) {}
      } finally {
        this.running = undefined;
      }
    })();
  }

  /**
   * One replay of every project. Not published: 'overtaken' when a change came meanwhile, 'stopped' when a
   * project went (a re-learn, which schedules the next replay once its templates are checked).
   */
  private async refresh(): Promise<'published' | 'overtaken' | 'stopped'> {
    const started = Date.now();
    const changed = this.changed;
    this.changed = new Set();
    const run = this.scheduled;
    // Only a file coming or going (or a re-learn) makes the rest of this replay useless.
    const useless = (): boolean => this.scheduled !== run && this.changed === null;
    let replayed = 0;
    const latest = new Map<string, Diagnostic[]>();
    let files = 0;
    const namedKeys = new Map<WorkspaceProject, string>();
    for (const project of this.host.projects()) {
      try {
        const counts = await this.replay(project, latest, changed, useless);
        if (counts === null) {
          // Its files are replayed again with the newer ones (projects finished before continue what they left).
          if (changed === null) this.changed = null;
          else if (this.changed) for (const f of changed) this.changed.add(f);
          this.host.log(
            `Stopped checking the CSS and JS of ${project.location.projectDir} after ${Date.now() - started} ms: ` +
              `${this.scheduled !== run ? 'files came or went meanwhile; checking again' : 'the project was learned again'}.`,
          );
          return this.scheduled !== run ? 'overtaken' : 'stopped';
        }
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
      namedKeys.set(
        project,
        replay === undefined ? 'none' : typeof replay === 'string' ? `not replayed: ${replay}` : assetNamedKey(replay),
      );
    }
    // Overtaken by a save: the predictions are kept (the next replay continues them), what they found is not shown.
    if (this.scheduled !== run) return 'overtaken';
    const namedChanged: WorkspaceProject[] = [];
    for (const [project, key] of namedKeys) {
      // What was made from the project while it had no prediction is made again.
      if (this.namedKeys.get(project) !== key || this.readMidway.has(project)) namedChanged.push(project);
      this.namedKeys.set(project, key);
    }
    this.readMidway.clear();
    this.latest = latest;
    this.sync();
    this.lastReplay = { ms: Date.now() - started, replayed };
    this.host.log(`Checked the references of ${files} CSS/JS files in ${this.lastReplay.ms} ms (${replayed} files replayed).`);
    this.host.replayed?.(namedChanged);
    return 'published';
  }

  /**
   * One project's findings into `into`, in slices; counts the CSS/JS files with references and the files
   * replayed, or null when `useless()` said at a pause that the rest is not wanted.
   */
  private async replay(
    project: WorkspaceProject,
    into: Map<string, Diagnostic[]>,
    changed: Set<string> | null,
    useless: () => boolean,
  ): Promise<{ files: number; replayed: number } | null> {
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
    // Until the replay is done the project has no prediction: one being continued changes as the replay goes,
    // and an old one would say what no longer holds (and double the memory: 50 MB at 100k files).
    this.predictions.delete(project);
    this.replaying = project;
    const steps = predictSteps(project.model, project.index, {
      readSource: (absPath) => {
        const text = open(absPath);
        return text === undefined ? readOrNull(absPath) : Buffer.from(text, 'utf8');
      },
      previous,
      changed: changed ?? undefined,
    });
    const gone = (): boolean => useless() || !this.host.projects().includes(project);
    const prediction = await inSlices(steps, SLICE_MS, gone).finally(() => (this.replaying = undefined));
    if (!prediction) return null;
    this.predictions.set(project, prediction);
    if (prediction.unknown) {
      const note = `${project.location.projectDir}: CSS and JS references not checked: ${prediction.unknown}`;
      if (!this.noted.has(note)) this.host.log(note);
      this.noted.add(note);
      return { files: 0, replayed: 0 };
    }
    const readText = (absPath: string) => open(absPath) ?? readOrNull(absPath)?.toString('utf8') ?? null;
    const findings = await inSlices(assetFindingSteps(prediction, readText), SLICE_MS, gone);
    if (!findings) return null;
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
    if (project === this.replaying) this.readMidway.add(project);
    return this.predictions.get(project);
  }

  /** The last prediction, or why the server does not replay this project (a sentence); undefined before the first replay. */
  replayOf(project: WorkspaceProject): AssetPrediction | string | undefined {
    if (project.index.size > MAX_REPLAYED_PATHS)
      return `the server does not replay projects of more than ${MAX_REPLAYED_PATHS.toLocaleString('en')} static paths`;
    return this.predictionOf(project);
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
