import * as path from 'path';
import { isInside, withPrefix } from '../engine/paths';
import { findProjects, projectAt, ProjectLocation } from '../engine/discover';
import { isDirectory } from '../engine/fsUtil';
import { StaticIndexApi } from '../engine/indexTypes';
import { findInterpreter } from '../engine/interpreter';
import { isSettingsFile, LearnOptions, ProjectModel, staticFolders } from '../engine/model';
import { compareReadings, mayMissSources, ReadingDifference } from '../engine/readings';
import { learnLocated, learnLocatedFirst, noteIndexProblems, readBuildOutputs } from '../engine/project';
import { startIndex } from '../engine/staticIndex';
import { liftWhileWalking } from '../launch/walkFlags';
import { DjangoStaticSettings } from '../protocol';
import { MANIFEST_NAME, readManifest } from './manifest';
import {
  discoverTemplatesWithCoverage,
  hasTemplateExtension,
  scansProjectTemplateFolders,
  templateDirs,
  TemplateCoverage,
  DiscoveredTemplates,
} from './templates';
import { FileChange, WatchTarget } from './watcher';

/** Projects learned at once: each may start a Python process. */
const LEARN_CONCURRENCY = 4;
/** Beyond this many files in a new folder, every document with references is re-checked instead. */
const MAX_NAMED_FILES = 5000;

interface StaticDelta {
  added: Set<string>;
  removed: Set<string>;
}

/**
 * How far a project's learning has come. `preview`: the static reading, served while Django mode is
 * learned behind it. `held`: a static reading that may miss sources (settings it could not read), so
 * neither requests nor diagnostics use it until Django mode answers. `final`: learned in the mode asked for.
 */
export type LearnStage = 'preview' | 'held' | 'final';

/** The LSP CancellationToken's shape, without depending on the protocol. */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** A learned project of the workspace with everything the features need. */
export interface WorkspaceProject {
  location: ProjectLocation;
  model: ProjectModel;
  stage: LearnStage;
  index: StaticIndexApi;
  /** STATIC_ROOT/staticfiles.json, original → hashed, when collectstatic wrote one. */
  manifest?: Map<string, string>;
  /** Absolute template files of the project inside the workspace, sorted. */
  templates: string[];
  /** Templates per engine and template-looking files TEMPLATES does not cover. */
  coverage: TemplateCoverage;
  /** Milliseconds spent learning and indexing. */
  learnMs: number;
  /**
   * Static folders the settings name that did not exist when learned (a STATICFILES_DIRS entry, an app's
   * `static/`): creating one re-learns the project, since an app gains a finder location only then.
   */
  awaitedRoots: string[];
}

/** A project that could not be learned at all, with the reason in the user's terms. */
export interface ProjectFailure {
  projectDir: string;
  managePy: string | null;
  message: string;
}

/** What changed, so the front end re-validates only what is affected. */
export type WorkspaceChange =
  | { kind: 'learning' }
  /** A learn started walking a project's static folders: they need watching now, so no event is missed. */
  | { kind: 'walking'; project: WorkspaceProject }
  /**
   * `preview`: static readings announced while the final ones are learned. `refined`: the end of a learn
   * whose final readings each came as a `refined` change, so nothing is left to re-check as a whole.
   * `listing`: a preview that answers while its templates are still listed; a `preview` change follows.
   */
  | {
      kind: 'learned';
      projects: WorkspaceProject[];
      failures: ProjectFailure[];
      refined?: boolean;
      preview?: boolean;
      listing?: boolean;
    }
  /**
   * Django mode's reading replaced a static one (`previous`). `everything`: what every template's
   * diagnostics depend on changed (or nothing was published from the static reading); else only the
   * destination paths in `added`/`removed` differ (a winner that changed is in both).
   */
  | { kind: 'refined'; project: WorkspaceProject; previous: WorkspaceProject; everything: boolean; added: string[]; removed: string[] }
  /**
   * destPaths null: the index changed at paths that cannot be named (symlink targets). `added` and
   * `removed` split destPaths by event; a folder added appears as the files found below it.
   */
  | { kind: 'static'; project: WorkspaceProject; destPaths: string[] | null; added: string[]; removed: string[] }
  | { kind: 'templates'; project: WorkspaceProject; added: string[]; removed: string[]; changed: string[] }
  | { kind: 'manifest'; project: WorkspaceProject };

export interface ProjectManagerOptions {
  /** Workspace folders (absolute). */
  roots: string[];
  settings: DjangoStaticSettings;
  /** False in an untrusted workspace: nothing is executed. */
  trusted: boolean;
  log?: (message: string) => void;
  /** Delay before re-learning after a settings file changes. */
  relearnDelayMs?: number;
  /** True for the command line: a forced mode that fails is a failure, not a fallback to static mode. */
  strictMode?: boolean;
  /**
   * Serve a new project's static reading while Django mode is learned behind it (the language server);
   * the `check` command wants the final answer only.
   */
  staticFirst?: boolean;
}

/**
 * Owns the workspace's projects: discovers and learns them in the background, keeps one static index per
 * project up to date from file events, and maps a file to the project it belongs to. Protocol-free: the
 * language server and the `check` command both drive it.
 */
export class ProjectManager {
  private current: WorkspaceProject[] = [];
  private failureList: ProjectFailure[] = [];
  private generation = 0;
  private learning: Promise<void> = Promise.resolve();
  private isLearning = false;
  private selectedManagePy: string | null = null;
  private readonly listeners: ((change: WorkspaceChange) => void)[] = [];
  /** Requests waiting for a project: woken on every change. */
  private readonly changeWaiters = new Set<() => void>();
  /** Locations of the running learnAll that have no project yet. */
  private pendingLocations: ProjectLocation[] = [];
  /** True while the workspace is searched for projects: a file may belong to one not found yet. */
  private discovering = false;
  /**
   * Readings whose index is still walked: not projects of the workspace yet (no diagnostics, summaries or
   * file events), but requests that allow it (projectForRequest's `whileWalking`) are answered from them,
   * their lookups reading the disk as Django's finders do.
   */
  private readonly walking = new Set<WorkspaceProject>();
  /**
   * Projects of the running learn whose index was made by a walk and that are not the workspace's yet. A
   * file event meanwhile would be lost (it goes to the workspace's projects only): one arriving during the
   * walk waits here (the list), applied in order when the walk ends, so the index ends as if the file had
   * been there, or gone, from the start; one after it (null) goes straight to the index until the project joins.
   */
  private readonly joining = new Map<WorkspaceProject, FileChange[] | null>();
  /** First readings already answering whose template folders are still being listed. */
  private readonly listingTemplates = new WeakSet<WorkspaceProject>();
  private readonly relearnTimers = new Map<string, NodeJS.Timeout>();
  private readonly templateScanTimers = new Map<string, NodeJS.Timeout>();
  private fullRelearnTimer: NodeJS.Timeout | undefined;
  /** The settings without a scope: what applies where no workspace folder's own settings do. */
  private settings: DjangoStaticSettings;
  /** Each workspace folder's `djangoStatic.*` (resource scope), by folder. */
  private scoped = new Map<string, DjangoStaticSettings>();
  private trusted: boolean;
  private roots: string[];

  constructor(private readonly options: ProjectManagerOptions) {
    this.settings = options.settings;
    this.trusted = options.trusted;
    this.roots = options.roots.map((r) => path.resolve(r));
  }

  onDidChange(listener: (change: WorkspaceChange) => void): void {
    this.listeners.push(listener);
  }

  get projects(): readonly WorkspaceProject[] {
    return this.current;
  }

  get failures(): readonly ProjectFailure[] {
    return this.failureList;
  }

  get busy(): boolean {
    return this.isLearning;
  }

  /** Resolves when the learning that is running (if any) has finished. */
  whenIdle(): Promise<void> {
    return this.learning;
  }

  /** Workspace folders changed (multi-root): the next learnAll discovers below the new set. */
  setRoots(roots: string[]): void {
    this.roots = roots.map((r) => path.resolve(r));
  }

  /** `scoped`: each workspace folder's own settings (folders without an entry use `settings`). */
  updateSettings(settings: DjangoStaticSettings, trusted = this.trusted, scoped?: ReadonlyMap<string, DjangoStaticSettings>): void {
    this.settings = settings;
    this.trusted = trusted;
    if (scoped) this.scoped = new Map([...scoped].map(([folder, s]) => [path.resolve(folder), s]));
  }

  /** The settings for a folder or file: those of the innermost workspace folder holding it. */
  settingsOf(dir: string): DjangoStaticSettings {
    let best: string | undefined;
    for (const folder of this.scoped.keys()) {
      if (isInside(folder, dir) && (!best || folder.length > best.length)) best = folder;
    }
    return best ? this.scoped.get(best)! : this.settings;
  }

  /** Discovers and learns every project again; results replace the previous ones atomically. */
  learnAll(): Promise<void> {
    const generation = ++this.generation;
    this.isLearning = true;
    this.emit({ kind: 'learning' });
    const run = async (): Promise<void> => {
      let refined = false;
      try {
        const known = new Map(this.current.map((p) => [p.location.projectDir, p]));
        const staged = this.staticFirst();
        this.discovering = true;
        // The usual workspace is one project at its root: read it first, then walk for others.
        const early = staged ? this.previewRoots(known, generation) : Promise.resolve(new Map<string, WorkspaceProject>());
        // Their static folders hold a monorepo's millions of files and no manage.py: the walk leaves them out.
        const read = [...known.values(), ...(await early.catch(() => new Map<string, WorkspaceProject>())).values()];
        const locations = await this.discover(read.flatMap((p) => staticFolders(p.model))).finally(() => {
          this.discovering = false;
          this.wakeWaiters(); // those waiting only for the search to end
        });
        if (generation !== this.generation) return; // a newer learn superseded this one
        const previews = await early;
        for (const dir of previews.keys()) if (!locations.some((l) => l.projectDir === dir)) previews.delete(dir);
        this.pendingLocations = locations.filter((l) => !known.has(l.projectDir) && !previews.has(l.projectDir));
        if (staged) for (const [dir, p] of await this.preview(this.pendingLocations, generation)) previews.set(dir, p);
        if (generation !== this.generation) return;
        // Only when every project came through a first reading was each one checked on its refinement.
        refined = previews.size > 0 && locations.every((l) => previews.has(l.projectDir));
        const results = await mapLimited(locations, LEARN_CONCURRENCY, async (location) => {
          const previous = previews.get(location.projectDir);
          const result = await this.learnOne(location, previous);
          return previous && generation === this.generation ? this.refine(previous, result) : result;
        });
        if (generation !== this.generation) return;
        this.current = results.filter((r): r is WorkspaceProject => 'model' in r);
        this.failureList = results.filter((r): r is ProjectFailure => !('model' in r));
      } catch (err) {
        if (generation !== this.generation) return;
        this.log(`Learning the workspace failed: ${messageOf(err)}`);
      }
      // Always announce the outcome, so waiting fronts (progress, status bar) never hang.
      this.isLearning = false;
      this.pendingLocations = [];
      this.emit({ kind: 'learned', projects: this.current, failures: this.failureList, refined });
    };
    this.learning = this.learning.then(this.joined(run), this.joined(run));
    return this.learning;
  }

  /** Re-learns one project (its settings changed). */
  relearn(projectDir: string): Promise<void> {
    if (!this.current.some((p) => p.location.projectDir === projectDir)) return this.learnAll();
    const run = async (): Promise<void> => {
      // Looked up when it runs, not when asked: a learn queued before it may have found the project anew
      // (another settings module); re-learning the old location would bring back what that learn replaced.
      const existing = this.current.find((p) => p.location.projectDir === projectDir);
      if (!existing) {
        // That learn lost the project (it failed, or moved): what changed since it read the files is learned anew.
        void this.learnAll();
        return;
      }
      const generation = this.generation;
      const result = await this.learnOne(existing.location);
      if (generation !== this.generation) return;
      if ('model' in result) {
        this.current = this.current.map((p) => (p.location.projectDir === projectDir ? result : p));
        this.failureList = this.failureList.filter((f) => f.projectDir !== projectDir);
      } else {
        this.current = this.current.filter((p) => p.location.projectDir !== projectDir);
        this.failureList = [...this.failureList.filter((f) => f.projectDir !== projectDir), result];
      }
      this.emit({ kind: 'learned', projects: this.current, failures: this.failureList });
    };
    this.learning = this.learning
      .then(this.joined(run), this.joined(run))
      .catch((err) => this.log(`Re-learning ${projectDir} failed: ${messageOf(err)}`));
    return this.learning;
  }

  /** A learn's run: learns run one after another, so once one ends its projects have joined or been dropped. */
  private joined(run: () => Promise<void>): () => Promise<void> {
    return () => run().finally(() => this.joining.clear());
  }

  /** Chooses the project used for files that belong to no project. Returns false when unknown. */
  select(managePy: string): boolean {
    const target = path.resolve(managePy);
    const found = this.current.find((p) => p.location.managePy === target || p.location.projectDir === target);
    if (!found) return false;
    this.selectedManagePy = found.location.managePy ?? found.location.projectDir;
    return true;
  }

  /** The project a file belongs to: one listing it as a template, else the deepest enclosing project, else the selected one. */
  projectFor(file: string | null): WorkspaceProject | undefined {
    if (this.current.length === 0) return undefined;
    if (file) {
      const abs = path.resolve(file);
      const byTemplate = this.current.find((p) => templateSet(p).has(abs));
      if (byTemplate) return byTemplate;
      const enclosing = this.current
        .filter((p) => isInside(p.location.projectDir, abs))
        .sort((a, b) => b.location.projectDir.length - a.location.projectDir.length)[0];
      if (enclosing) return enclosing;
      const byTemplateDir = this.current.find((p) => templateDirs(p.model, this.scopeOf(p)).some((d) => isInside(d, abs)));
      if (byTemplateDir) return byTemplateDir;
    }
    return this.selected();
  }

  /**
   * The project to answer a request about `file` from. While that project is being learned (or held as
   * a static reading that may miss sources) this waits for it, at most `timeoutMs` and never past a
   * cancellation; a file that belongs to no project gets undefined at once.
   */
  async projectForRequest(
    file: string | null,
    cancel: Cancellation,
    timeoutMs: number,
    whileWalking = false,
  ): Promise<WorkspaceProject | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const project = this.projectFor(file);
      if (!this.mustWait(file, project) || cancel.isCancellationRequested) return project;
      const walking = whileWalking ? this.walkingFor(file) : undefined;
      if (walking) return walking;
      const left = deadline - Date.now();
      if (left <= 0) return project;
      await this.nextChange(left, cancel);
    }
  }

  selected(): WorkspaceProject | undefined {
    const chosen = this.current.find((p) => (p.location.managePy ?? p.location.projectDir) === this.selectedManagePy);
    return chosen ?? this.current[0];
  }

  /** Folders to watch (when the client cannot): static roots and template folders recursively; settings, manage.py and STATIC_ROOT folders shallowly. */
  watchTargets(): WatchTarget[] {
    const targets = new Map<string, WatchTarget>();
    const add = (dir: string, recursive: boolean): void => {
      const key = path.resolve(dir);
      const prior = targets.get(key);
      targets.set(key, { dir: key, recursive: recursive || (prior?.recursive ?? false) });
    };
    for (const project of [...this.current, ...this.joining.keys()]) {
      const scope = this.scopeOf(project);
      for (const source of project.index.sources) {
        if (source.root && scope.some((s) => isInside(s, source.root!))) add(source.root, true);
      }
      for (const dir of templateDirs(project.model, scope)) add(dir, true);
      for (const root of project.awaitedRoots) {
        if (scope.some((s) => isInside(s, root))) add(path.dirname(root), false);
      }
      for (const file of project.model.settingsFiles) add(path.dirname(file), false);
      add(project.location.projectDir, false);
      if (project.model.staticRoot) add(project.model.staticRoot, false);
    }
    for (const root of this.roots) add(root, false);
    return [...targets.values()];
  }

  /**
   * Applies file-system events (from the client or our own watcher): updates indexes incrementally,
   * template lists and manifests, and schedules a re-learn when settings change.
   */
  async applyFileChanges(changes: FileChange[]): Promise<void> {
    // null: something changed that we cannot name, so every referencing document is re-checked.
    const staticChanges = new Map<WorkspaceProject, StaticDelta | null>();
    // Before any await: the walk that ends next must find every event that came before its end.
    for (const [project, queued] of this.joining) {
      if (this.current.includes(project)) continue;
      if (queued) queued.push(...changes);
      else for (const change of changes) this.applyToJoining(project, change);
    }
    for (const change of changes) {
      const file = path.resolve(change.path);
      if (path.basename(file) === 'manage.py' && change.kind !== 'changed') {
        this.scheduleFullRelearn();
        continue;
      }
      for (const project of this.current) {
        if (this.isProjectConfigFile(project, file)) {
          this.scheduleRelearn(project.location.projectDir);
          continue;
        }
        if (change.kind === 'created' && project.awaitedRoots.some((root) => isInside(root, file))) {
          this.scheduleRelearn(project.location.projectDir);
          continue;
        }
        // The manifest itself, or STATIC_ROOT appearing or vanishing as a whole (first collectstatic, rm -rf).
        if (project.model.staticRoot && isInside(file, path.join(project.model.staticRoot, MANIFEST_NAME))) {
          project.manifest = await readManifest(project.model.staticRoot, project.model.djangoVersion);
          this.emit({ kind: 'manifest', project });
          continue;
        }
        if (change.kind !== 'changed' || !hasTemplateExtension(file)) {
          const dest = await this.applyStaticChange(project, file, change.kind);
          if (dest === null) staticChanges.set(project, null);
          else if (dest.length > 0 && staticChanges.get(project) !== null) {
            const delta = staticChanges.get(project) ?? { added: new Set<string>(), removed: new Set<string>() };
            const into = change.kind === 'deleted' ? delta.removed : delta.added;
            dest.forEach((d) => into.add(d));
            staticChanges.set(project, delta);
          }
        }
        this.noteTemplateChange(project, file, change.kind);
      }
    }
    for (const [project, delta] of staticChanges) {
      const added = delta ? [...delta.added] : [];
      const removed = delta ? [...delta.removed] : [];
      this.emit({ kind: 'static', project, destPaths: delta ? [...added, ...removed] : null, added, removed });
    }
  }

  dispose(): void {
    for (const timer of [...this.relearnTimers.values(), ...this.templateScanTimers.values()]) clearTimeout(timer);
    if (this.fullRelearnTimer) clearTimeout(this.fullRelearnTimer);
    this.generation++;
  }

  // --- waiting ---------------------------------------------------------------------------------

  private mustWait(file: string | null, project: WorkspaceProject | undefined): boolean {
    if (!this.isLearning) return false;
    if (!project || project.stage === 'held') return true;
    // A project answers, but the file may belong to another one still being learned (or not found yet).
    const abs = file && path.resolve(file);
    if (this.discovering && !(abs && this.claims(project, abs))) return true;
    return (
      !!abs &&
      this.pendingLocations.some((l) => isInside(l.projectDir, abs) && !this.current.some((p) => p.location.projectDir === l.projectDir))
    );
  }

  /**
   * A reading whose index is still walked and whose template folders hold the file (the file belongs to
   * it, whatever discovery finds later), the deepest project first.
   */
  private walkingFor(file: string | null): WorkspaceProject | undefined {
    if (!file || this.walking.size === 0) return undefined;
    const abs = path.resolve(file);
    return [...this.walking]
      .filter((p) => templateDirs(p.model, this.scopeOf(p)).some((d) => isInside(d, abs)))
      .sort((a, b) => b.location.projectDir.length - a.location.projectDir.length)[0];
  }

  /** The file is one of the project's templates, or (while they are listed) inside its template folders. */
  private claims(project: WorkspaceProject, file: string): boolean {
    if (templateSet(project).has(file)) return true;
    return this.listingTemplates.has(project) && templateDirs(project.model, this.scopeOf(project)).some((d) => isInside(d, file));
  }

  /** Resolves on the next workspace change, after `ms`, or on cancellation, whichever comes first. */
  private nextChange(ms: number, cancel: Cancellation): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        subscription.dispose();
        this.changeWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const subscription = cancel.onCancellationRequested(done);
      this.changeWaiters.add(done);
    });
  }

  // --- learning -------------------------------------------------------------------------------

  private async discover(prune: string[]): Promise<ProjectLocation[]> {
    const first = this.roots[0] ?? process.cwd();
    const firstSettings = this.settingsOf(first);
    if (firstSettings.managePyPath) {
      const managePy = path.resolve(first, firstSettings.managePyPath);
      const located = await findProjects(path.dirname(managePy), firstSettings.settingsModule || undefined).catch(() => []);
      const own = located.find((l) => l.managePy === managePy);
      if (own) return [own];
      this.log(`djangoStatic.managePyPath points to ${managePy}, which was not found; discovering projects instead.`);
    }
    const seen = new Set<string>();
    const locations: ProjectLocation[] = [];
    for (const root of this.roots) {
      let found: ProjectLocation[] = [];
      try {
        found = await findProjects(root, this.settingsOf(root).settingsModule || undefined, { prune });
      } catch (err) {
        this.log(`Looking for projects in ${root} failed: ${messageOf(err)}`);
      }
      for (const location of found) {
        const key = location.managePy ?? location.projectDir;
        if (seen.has(key)) continue;
        seen.add(key);
        locations.push(location);
      }
    }
    if (locations.length === 0) this.log(`No Django project (manage.py) found in ${this.roots.join(', ') || 'the workspace'}.`);
    return locations;
  }

  private learnOptions(location: ProjectLocation): LearnOptions & { ignoreGlobs: string[] } {
    const settings = this.settingsOf(location.projectDir);
    return {
      mode: settings.mode,
      python: settings.pythonPath || undefined,
      settings: settings.settingsModule || location.settingsModule || undefined,
      env: settings.env,
      timeoutMs: Math.max(1, settings.timeoutSeconds || 15) * 1000,
      allowExecute: this.trusted,
      ignoreGlobs: settings.ignoreGlobs,
    };
  }

  /**
   * A first reading without Python pays where Python may run: before Django mode (auto), or before static
   * mode asks the interpreter for its site-packages. Django mode by choice and untrusted workspaces answer once.
   */
  private staticFirst(): boolean {
    return !!this.options.staticFirst && this.settings.mode !== 'django' && this.trusted;
  }

  /** Previews of the projects right at the workspace roots that are not known yet. */
  private async previewRoots(known: Map<string, WorkspaceProject>, generation: number): Promise<Map<string, WorkspaceProject>> {
    if (this.settingsOf(this.roots[0] ?? process.cwd()).managePyPath) return new Map(); // discovery decides which project that names
    const found = await Promise.all(
      this.roots.map((root) => projectAt(root, this.settingsOf(root).settingsModule || undefined).catch(() => null)),
    );
    const fresh = found.filter((l): l is ProjectLocation => !!l && !known.has(l.projectDir));
    this.pendingLocations = fresh;
    return this.preview(fresh, generation);
  }

  /** Static readings of new projects, announced at once (a `learned` change) and keyed by project folder. */
  private async preview(locations: ProjectLocation[], generation: number): Promise<Map<string, WorkspaceProject>> {
    const previews = new Map<string, WorkspaceProject>();
    if (locations.length === 0) return previews;
    // Each is answered from once indexed, before its templates are listed (half of the reading's time);
    // they are announced once listed. Failures stay silent here: the Django-mode pass reports them.
    const indexed = (project: WorkspaceProject): void => {
      if (generation !== this.generation) return;
      this.current = [...this.current, project];
      this.emit({ kind: 'learned', projects: this.current, failures: this.failureList, preview: true, listing: true });
    };
    const results = await mapLimited(locations, LEARN_CONCURRENCY, (location) => this.learnOne(location, undefined, 'static', indexed));
    if (generation !== this.generation) return previews;
    for (const result of results) if ('model' in result) previews.set(result.location.projectDir, result);
    if (previews.size === 0) return previews;
    this.emit({ kind: 'learned', projects: this.current, failures: this.failureList, preview: true });
    return previews;
  }

  /** The final answer (Django mode's, or static mode's with the interpreter's site-packages) replaces the preview. */
  private refine(previous: WorkspaceProject, result: WorkspaceProject | ProjectFailure): WorkspaceProject {
    if (!('model' in result)) {
      // Django mode (and the static fallback) failed where the preview had read the settings: keep it.
      previous.stage = 'final';
      this.emit({ kind: 'refined', project: previous, previous, everything: true, added: [], removed: [] });
      return previous;
    }
    const difference = compareReadings(previous.model, result.model);
    this.logDisagreement(result, difference);
    this.current = this.current.map((p) => (p === previous ? result : p));
    const sameTemplates = previous.templates.join('\n') === result.templates.join('\n');
    const everything = previous.stage === 'held' || difference.settingsDiffer || !sameTemplates;
    const delta = everything || previous.index === result.index ? { added: [], removed: [] } : pathDelta(previous.index, result.index);
    this.emit({ kind: 'refined', project: result, previous, everything, ...delta });
    return result;
  }

  /** Where the first reading and the final one disagree in a way that matters: gaps of static mode worth fixing. */
  private logDisagreement(project: WorkspaceProject, d: ReadingDifference): void {
    const where = project.location.projectDir;
    const later = project.model.mode === 'django' ? 'Django mode' : "static mode with the interpreter's site-packages";
    for (const source of d.onlyLater) this.log(`Static mode missed a source ${later} sees in ${where}: ${source}.`);
    for (const source of d.onlyEarlier) this.log(`Static mode saw a source ${later} does not in ${where}: ${source}.`);
    if (d.reordered) this.log(`Static mode ordered the sources of ${where} differently from ${later} (which file wins may differ).`);
    if (d.settingsDiffer)
      this.log(`Static mode read STATIC_URL, the storage or the template engines of ${where} differently from ${later}.`);
  }

  /**
   * Learns one location in `mode` (the configured one by default). A static reading that comes first
   * (`indexed` given) is `preview` or `held`, handed to `indexed` before its templates are listed;
   * `previous`, a static reading of the same sources, lends its index instead of a second walk.
   */
  private async learnOne(
    location: ProjectLocation,
    previous?: WorkspaceProject,
    mode = this.settingsOf(location.projectDir).mode,
    indexed?: (project: WorkspaceProject) => void,
  ): Promise<WorkspaceProject | ProjectFailure> {
    const started = Date.now();
    const first = !!indexed;
    // The first reading runs no Python at all (the interpreter check alone takes longer than the whole
    // reading): site-packages are looked for where virtual environments and the system keep them.
    const options = { ...this.learnOptions(location), mode, ...(first ? { allowExecute: false } : {}) };
    let model: ProjectModel;
    try {
      model = first ? await learnLocatedFirst(location, options) : await learnLocated(location, options);
    } catch (err) {
      if (first) return { projectDir: location.projectDir, managePy: location.managePy, message: messageOf(err) };
      if (options.mode === 'static' || (options.mode === 'django' && this.options.strictMode)) return this.failure(location, err);
      // Keep the editor useful: fall back to reading the settings without running them, and say why.
      this.log(`Learning ${location.projectDir} in ${options.mode} mode failed (${messageOf(err)}); trying static mode.`);
      try {
        // An unusable interpreter must not stop static mode, which runs none.
        model = await learnLocated(location, { ...options, mode: 'static', python: this.options.strictMode ? options.python : undefined });
        model.modeReason = `Static mode: ${options.mode} mode failed (${messageOf(err)}).`;
      } catch (staticErr) {
        return this.failure(location, staticErr);
      }
    }
    if (first)
      model.modeReason = `Static reading without Python, answered from while ${this.settingsOf(location.projectDir).mode === 'static' ? "the interpreter's site-packages are looked up" : 'Django mode is learned'}.`;
    // The index of a first reading with the same sources is kept: one walk of the static folders, not two.
    const reused = !!previous && !compareReadings(previous.model, model).sourcesDiffer;
    const scope = [...this.roots, location.projectDir];
    const learnedMs = Date.now() - started;
    // Independent reads of the file system: overlapped rather than one after another, except that a first
    // reading lists its templates only once it answers (listing them would slow the walk of the index).
    const listTemplates = (): Promise<DiscoveredTemplates> =>
      discoverTemplatesWithCoverage(model, this.settingsOf(location.projectDir), scope);
    const overlapped = indexed ? undefined : listTemplates();
    overlapped?.catch(() => undefined); // awaited below, unless the index fails first
    const [manifest, awaited] = await Promise.all([readManifest(model.staticRoot, model.djangoVersion), awaitedRoots(model)]);
    const walk = reused && previous ? null : startIndex(model, { ...options, workspaceFolders: scope });
    // The heap grows with the index while it is walked: memory-reducing collections then only cost CPU.
    if (walk) liftWhileWalking(walk.walked);
    const project: WorkspaceProject = {
      location,
      model,
      stage: !first ? 'final' : mayMissSources(model) ? 'held' : 'preview',
      index: walk?.index ?? previous!.index,
      manifest,
      templates: [],
      coverage: { engines: [], fallback: null, unowned: 0, owners: new Map(), outside: { count: 0, folders: [] } },
      learnMs: 0,
      awaitedRoots: awaited,
    };
    // A first reading's build outputs are read beside its walk, from the next turn (after the requests the walk's
    // start wakes: the reads' threads would take a core from them): only diagnostics use them, none before it ends.
    const outputs = first ? new Promise<void>((resolve) => setImmediate(resolve)).then(() => readBuildOutputs(model)) : Promise.resolve();
    outputs.catch(() => undefined); // awaited below, unless the walk fails first
    if (walk) {
      // Requests are answered while the walk runs (at 1M files it is most of the first reading's time).
      if (project.stage !== 'held') {
        this.walking.add(project);
        this.wakeWaiters();
      }
      this.joining.set(project, []);
      this.emit({ kind: 'walking', project });
      await walk.walked.finally(() => this.walking.delete(project));
      this.applyQueued(project);
    }
    try {
      await outputs;
    } catch (err) {
      return { projectDir: location.projectDir, managePy: location.managePy, message: messageOf(err) };
    }
    const indexedMs = Date.now() - started;
    const index = project.index;
    noteIndexProblems(model, index);
    if (indexed) {
      this.listingTemplates.add(project);
      indexed(project);
      // Only now: spawning Python blocks this thread and its start takes a core from the reading before.
      this.prefetchInterpreter(location);
    }
    const discovered = await (overlapped ?? listTemplates()).finally(() => this.listingTemplates.delete(project));
    project.templates = discovered.templates;
    project.coverage = discovered.coverage;
    project.learnMs = Date.now() - started;
    const what = first ? `Read ${location.projectDir} statically` : `Learned ${location.projectDir}`;
    const serving =
      project.stage === 'preview'
        ? '; answering from it meanwhile'
        : project.stage === 'held'
          ? '; not answering from it, since it may miss sources'
          : '';
    // Where the time went, for a slow start: the settings, the static folders' walk, the template folders'.
    const took = `settings ${learnedMs} ms, indexed at ${indexedMs} ms, templates listed at ${project.learnMs} ms`;
    this.log(
      `${what} in ${project.learnMs} ms (${took}): ${model.mode} mode (${model.modeReason}), ` +
        `${index.size} static paths${reused ? ' (index kept from the static reading)' : ''}, ${project.templates.length} templates${serving}.`,
    );
    return project;
  }

  /** Starts the interpreter check Django mode will need (it is cached), so it runs beside the template listing. */
  private prefetchInterpreter(location: ProjectLocation): void {
    const options = this.learnOptions(location);
    findInterpreter(location.projectDir, options.python, location.projectDir).catch(() => undefined);
  }

  private failure(location: ProjectLocation, err: unknown): ProjectFailure {
    const message = messageOf(err);
    this.log(`Could not learn ${location.projectDir}: ${message}`);
    return { projectDir: location.projectDir, managePy: location.managePy, message };
  }

  /** Where the user's own files live: the workspace folders plus the project folder. */
  private scopeOf(project: WorkspaceProject): string[] {
    return [...this.roots, project.location.projectDir];
  }

  private isProjectConfigFile(project: WorkspaceProject, file: string): boolean {
    if (isSettingsFile(project.model, file)) return true;
    return path.dirname(file) === project.location.projectDir && (path.basename(file) === '.env' || file === project.location.managePy);
  }

  private scheduleRelearn(projectDir: string): void {
    clearTimeout(this.relearnTimers.get(projectDir));
    const delay = this.options.relearnDelayMs ?? 200;
    this.relearnTimers.set(
      projectDir,
      setTimeout(() => {
        this.relearnTimers.delete(projectDir);
        void this.relearn(projectDir);
      }, delay),
    );
  }

  private scheduleFullRelearn(): void {
    clearTimeout(this.fullRelearnTimer);
    this.fullRelearnTimer = setTimeout(() => {
      this.fullRelearnTimer = undefined;
      void this.learnAll();
    }, this.options.relearnDelayMs ?? 200);
  }

  // --- incremental updates --------------------------------------------------------------------

  /**
   * Updates the index for one event; returns the destination paths that appeared or disappeared (a
   * folder's own path stands for everything below it), or null when the index changed at paths we cannot
   * name (an event at a symlinked folder's target). The index takes folders whole: adding one walks it,
   * removing one drops its subtree, so a moved folder reported as a single event is enough.
   */
  private async applyStaticChange(project: WorkspaceProject, file: string, kind: FileChange['kind']): Promise<string[] | null> {
    if (!indexChange(project, file, kind)) return [];
    const dests = destinationsOf(project, file);
    // A whole root coming or going has no single destination folder ('' or 'prefix/'): re-check everything.
    if (dests.length === 0 || project.index.sources.some((s) => s.root === file)) return null;
    if (kind === 'deleted') return dests; // a folder's own path covers everything that was below it
    // A folder that appeared: name its files, since any of them may become a did-you-mean suggestion.
    const named: string[] = [];
    for (const dest of dests) {
      if (!project.index.isFolder(dest)) named.push(dest);
      else if (!filesBelow(project.index, dest, named)) return null;
    }
    return named;
  }

  /** The events that came during the project's walk, in order; later ones go straight to its index. */
  private applyQueued(project: WorkspaceProject): void {
    const queued = this.joining.get(project);
    if (!queued) return;
    this.joining.set(project, null);
    let changed = 0;
    for (const change of queued) if (this.applyToJoining(project, change)) changed++;
    if (queued.length > 0)
      this.log(
        `${queued.length} file events came while ${project.location.projectDir}'s static folders were walked, ` +
          `applied once the walk ended (${changed} changed the index).`,
      );
  }

  /** One event for a project not announced yet: nothing to re-check, only its index to keep right. */
  private applyToJoining(project: WorkspaceProject, change: FileChange): boolean {
    const file = path.resolve(change.path);
    if (this.isProjectConfigFile(project, file) || (change.kind === 'created' && project.awaitedRoots.some((r) => isInside(r, file)))) {
      // Re-learned once this learn ends (learns run one after another), from the settings as they are then.
      this.scheduleRelearn(project.location.projectDir);
      return false;
    }
    return change.kind === 'changed' && hasTemplateExtension(file) ? false : indexChange(project, file, change.kind);
  }

  /** Template files appear and disappear rarely: re-scan the project's template folders shortly after. */
  private noteTemplateChange(project: WorkspaceProject, file: string, kind: FileChange['kind']): void {
    if (!this.scopeOf(project).some((s) => isInside(s, file))) return;
    // A folder (no extension) may carry templates in or out; any other file only if it is a template.
    const mayBeFolder = kind !== 'changed' && path.extname(file) === '';
    if (!hasTemplateExtension(file) && !mayBeFolder) return;
    if (!hasTemplateExtension(file) && !this.inTemplateArea(project, file)) return;
    if (kind === 'changed') {
      if (templateSet(project).has(file)) this.emit({ kind: 'templates', project, added: [], removed: [], changed: [file] });
      return;
    }
    const key = project.location.projectDir;
    clearTimeout(this.templateScanTimers.get(key));
    this.templateScanTimers.set(
      key,
      setTimeout(() => {
        this.templateScanTimers.delete(key);
        void this.rescanTemplates(project);
      }, 50),
    );
  }

  /** Where a new folder could hold templates: a template folder, or anywhere when globs or the fallback scan apply. */
  private inTemplateArea(project: WorkspaceProject, file: string): boolean {
    if (this.settingsOf(project.location.projectDir).templateGlobs.length > 0) return true;
    const dirs = templateDirs(project.model, this.scopeOf(project));
    return dirs.length === 0 || scansProjectTemplateFolders(project.model) || dirs.some((d) => isInside(d, file));
  }

  private async rescanTemplates(project: WorkspaceProject): Promise<void> {
    if (!this.current.includes(project)) return;
    const before = new Set(project.templates);
    const discovered = await discoverTemplatesWithCoverage(
      project.model,
      this.settingsOf(project.location.projectDir),
      this.scopeOf(project),
    );
    const after = discovered.templates;
    project.coverage = discovered.coverage;
    const afterSet = new Set(after);
    const added = after.filter((t) => !before.has(t));
    const removed = project.templates.filter((t) => !afterSet.has(t));
    project.templates = after;
    if (added.length || removed.length) this.emit({ kind: 'templates', project, added, removed, changed: [] });
  }

  private wakeWaiters(): void {
    for (const wake of [...this.changeWaiters]) wake();
  }

  private emit(change: WorkspaceChange): void {
    this.wakeWaiters();
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.log(`A workspace listener failed: ${messageOf(err)}`);
      }
    }
  }

  private log(message: string): void {
    this.options.log?.(message);
  }
}

const templateSets = new WeakMap<string[], Set<string>>();

/** The project's templates as a set, built once per template list. */
export function templateSet(project: WorkspaceProject): Set<string> {
  let set = templateSets.get(project.templates);
  if (!set) {
    set = new Set(project.templates);
    templateSets.set(project.templates, set);
  }
  return set;
}

/** Destination paths a source file provides, one per source whose root holds it. */
export function destinationsOf(project: WorkspaceProject, file: string): string[] {
  const result: string[] = [];
  for (const source of project.index.sources) {
    if (source.root && isInside(source.root, file)) result.push(destinationIn(source.root, source.prefix, file));
  }
  return result;
}

/** The destination path of a file inside the root of a source with this prefix. */
export function destinationIn(root: string, prefix: string, file: string): string {
  return withPrefix(prefix, path.relative(root, file).split(path.sep).join('/'));
}

/**
 * The index's part of one event; true when the paths it holds changed. Events outside every root still go
 * to the index: it maps followed symlinks' targets itself.
 */
function indexChange(project: WorkspaceProject, file: string, kind: FileChange['kind']): boolean {
  const insideRoot = project.index.sources.some((s) => s.root && isInside(s.root, file));
  const changed = kind === 'deleted' ? project.index.fileRemoved(file) : project.index.fileAdded(file);
  // New content: sizes shown in completion and hover must be recomputed (did-you-mean paths stay).
  if (kind === 'changed' && insideRoot && !changed) project.index.fileChanged?.(file);
  return changed;
}

/** Files below a destination folder appended to `into`; false past MAX_NAMED_FILES (a bulk change). */
function filesBelow(index: StaticIndexApi, folder: string, into: string[]): boolean {
  into.push(folder);
  for (const child of index.children(folder)) {
    const dest = `${folder}/${child.name}`;
    if (into.length > MAX_NAMED_FILES) return false;
    if (!child.isFolder) into.push(dest);
    else if (!filesBelow(index, dest, into)) return false;
  }
  return true;
}

/** Destination paths only one index has, and (in both lists) shared ones whose winning file differs. */
function pathDelta(before: StaticIndexApi, after: StaticIndexApi): { added: string[]; removed: string[] } {
  const added: string[] = [];
  const removed: string[] = [];
  for (const p of before.allPaths()) {
    const now = after.get(p);
    if (!now) removed.push(p);
    else if (now.providers[0]?.absPath !== before.get(p)?.providers[0]?.absPath) {
      added.push(p);
      removed.push(p);
    }
  }
  for (const p of after.allPaths()) if (!before.get(p)) added.push(p);
  return { added, removed };
}

/** Like Promise.all over `items`, with at most `limit` calls running; results keep the input order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function awaitedRoots(model: ProjectModel): Promise<string[]> {
  const roots: string[] = [];
  for (const finder of model.finders) {
    if (finder.kind === 'filesystem') {
      for (const dir of finder.dirs) if (!(await isDirectory(dir.root))) roots.push(dir.root);
    } else if (finder.kind === 'app') {
      for (const app of finder.apps) if (app.path && !app.staticDir) roots.push(path.join(app.path, 'static'));
    }
  }
  return roots;
}
