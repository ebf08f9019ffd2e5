/**
 * Runs the top-level statements of settings modules over the evaluator, in order: assignments, augmented
 * assignments, mutating calls (`.append`), imports (project modules are read, star imports copy names),
 * `if`/`for`/`try` when their outcome is known, and class bodies (for AppConfig attributes).
 * Blocks whose condition cannot be known are skipped and reported.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { Problem } from '../model';
import { getAttribute, KNOWN_MODULE_MEMBERS, PYTHON_BUILTINS } from './builtins';
import { binaryArith } from './operators';
import { bindTargets, childNodes, evaluate, EvalContext, hasSyntaxError, meaningfulChildren, parseArgs, textOf } from './evaluator';
import { includePatterns, pythonGlob, SPLIT_SETTINGS_INCLUDE } from './splitSettings';
import { ModuleResolver, resolveRelativeModule } from './settingsFiles';
import { STDLIB_MODULES } from './stdlibModules';
import { Budget, BudgetLimits, grow, step, withBudget } from './budget';
import { BudgetExceeded, describeFailure, HelpersOut, LoopControl, PyRaise, StaticModeLimit } from './control';
import { defValue } from './functions';
import { assignedNames, bodyStatements, handlerMatches, lineAt, lineStarts, oneLine } from './syntax';
import { Binding, ClassValue, isSequence, isUnknown, iterate, keyOf, PyValue, SourceSpot, str, truthy, unknown } from './values';

/** A module static mode has read. */
export interface ModuleState {
  name: string;
  file: string;
  /** `__package__`: the module itself for a package, its parent otherwise. */
  packageName: string;
  namespace: Map<string, Binding>;
  /** Modules named by `from X import *`, in order (absolute names). */
  starImports: string[];
  /** Names assigned only inside blocks static mode skipped, with why. */
  skipped: Map<string, Binding>;
  /** False for modules read from site-packages (their problems are not the user's). */
  inProject: boolean;
  /** The settings module or one a settings module star-imports; the rest are helpers (budget.ts). */
  settings: boolean;
  /** Why the module was not read to its end, when it was not (its names may be missing). */
  unread?: string;
  /** Files django-split-settings' include() ran in this module's namespace, in order (absolute). */
  included: string[];
}

/** A scope: a module namespace, or a class body over its module. */
interface Scope {
  vars: Map<string, Binding>;
  module: ModuleState;
  parent: Scope | null;
  /** The file whose statements run: the module's own, or one django-split-settings' include() runs in it. */
  file: string;
  source: string;
  lineStarts: number[];
}

const IMPORT_ERROR_TYPES = ['ModuleNotFoundError', 'ImportError', 'Exception', 'BaseException'];
/** The name include() keeps the file being included under, so nested patterns start from its folder. */
const INCLUDED_FILE = '__included_file__';
/** Arguments that hand a call the namespace of the module being read, so it can set the module's names. */
const MODULE_NAMESPACE = /\b(globals|vars|locals)\(\s*\)|\bsys\.modules\b/;
const MAX_LOOP_ITERATIONS = 10_000;
const MAX_RESOLVE_DEPTH = 20;
const MAX_BLOCK_DEPTH = 100;
/** Python built-ins outside PYTHON_BUILTINS that settings use (`getattr(local, 'DEBUG', False)`). */
const UNEVALUATED_BUILTINS: ReadonlySet<string> = new Set(
  'abs all any bin callable chr dir divmod enumerate eval exec filter format frozenset getattr globals hasattr hash hex id input iter locals map max min next object oct open ord pow print range repr round set setattr slice sum super type vars zip __import__'.split(
    ' ',
  ),
);

export interface InterpreterOptions {
  /** Folder Django runs in; `os.getcwd()` and relative paths resolve against it. */
  cwd: string;
  resolver: ModuleResolver;
  /** Names whose loss is worth a Problem when a block holding them is skipped. */
  watchedNames: ReadonlySet<string>;
  /**
   * True when site-packages folders were given: a module found nowhere (project, site-packages, standard
   * library) is then missing, as Python would find it; without them static mode cannot tell.
   */
  sitePackagesKnown?: boolean;
  /** Folders manage.py puts on sys.path before settings load (`sys.path.insert(0, BASE_DIR / 'src')`). */
  extraSysPath?: string[];
  /** What reading may cost (budget.ts); the defaults are far above any real settings module. */
  limits?: BudgetLimits;
  /**
   * Settings whose list items and dict values get an origin (the statement that first put each one there:
   * the assignment, `+=` or `.append`), so a finding about one entry points at the line that wrote it.
   */
  originNames?: ReadonlySet<string>;
}

/** Larger settings files are not read: a real one is a few kilobytes, and parsing is not budgeted. */
const MAX_FILE_BYTES = 1024 * 1024;

export class Interpreter {
  readonly modules = new Map<string, ModuleState>();
  readonly problems: Problem[] = [];
  /** Where each item of an `originNames` setting was written (see InterpreterOptions.originNames). */
  readonly origins = new WeakMap<PyValue, SourceSpot>();
  private blockDepth = 0;
  /** Environment variables the enclosing `if` conditions read: what runs inside depends on them. */
  private conditionEnv: string[] = [];
  /** Files that failed to parse cleanly, so each is reported once. */
  private readonly reportedSyntax = new Set<string>();
  /** Shared by every module this interpreter reads, site-packages included. */
  readonly budget: Budget;
  private budgetReported = false;
  private configurationsReported = false;
  private helpersOutReported = false;

  /** `sys.path` as settings see it; settings that extend it change where modules are found. */
  private readonly sysPath: Extract<PyValue, { kind: 'list' }>;
  private readonly sysModule: PyValue;

  constructor(private readonly options: InterpreterOptions) {
    this.budget = new Budget(options.limits);
    this.sysPath = { kind: 'list', items: [str(options.cwd), ...(options.extraSysPath ?? []).map(str)] };
    const spot = { file: '<sys>', line: 0, env: new Set<string>() };
    this.sysModule = { kind: 'module', name: 'sys', namespace: new Map([['path', { value: this.sysPath, ...spot }]]) };
    this.options.resolver.setProjectRoots([options.cwd]);
  }

  /** Points the resolver at the folders now on `sys.path` (site-packages stay last). */
  private syncSysPath(): void {
    const roots: string[] = [];
    for (const item of this.sysPath.items) {
      // Python's path finder skips entries that are not str: sys.path.insert(0, BASE_DIR / 'apps') does nothing.
      if (item.kind !== 'str') continue;
      const root = path.resolve(this.options.cwd, item.value);
      if (!roots.includes(root)) roots.push(root);
    }
    if (!roots.includes(this.options.cwd)) roots.unshift(this.options.cwd);
    this.options.resolver.setProjectRoots(roots);
  }

  /**
   * Imports a module by absolute name: read once, then cached (a partially run module during a circular
   * import, as in Python). Null when it does not resolve or is not a Python source file.
   */
  importModule(name: string, allowOutsideProject: boolean, settings = false): ModuleState | null {
    const cached = this.modules.get(name);
    if (cached) return cached;
    this.syncSysPath();
    const location = this.options.resolver.resolve(name);
    if (!location || (!location.inProject && !allowOutsideProject)) return null;
    const packageName = location.isPackage ? name : name.split('.').slice(0, -1).join('.');
    const state: ModuleState = {
      name,
      file: location.file ?? location.searchPaths[0],
      packageName,
      namespace: new Map(),
      starImports: [],
      skipped: new Map(),
      inProject: location.inProject,
      settings,
      included: [],
    };
    this.modules.set(name, state);
    if (location.file) this.runFile(state, location.file);
    return state;
  }

  /** Reads the settings module (or a module standing in for it), with the settings modules' share of the time. */
  importSettings(name: string): ModuleState | null {
    return this.importModule(name, false, true);
  }

  /** Runs a file as the given module (the settings module itself enters here). */
  runFile(state: ModuleState, file: string): void {
    if (this.budget.exhausted) return;
    if (state.settings) return this.readFile(state, file);
    if (!this.budget.enterHelper()) return this.leftUnread(state, this.budget.helpersOut!);
    try {
      this.readFile(state, file);
    } catch (error) {
      if (!(error instanceof HelpersOut)) throw error;
      this.leftUnread(state, error);
    } finally {
      this.budget.leaveHelper();
    }
  }

  /** A helper module the time ran out for: said once, for the first one; its names become unknown. */
  private leftUnread(state: ModuleState, why: HelpersOut): void {
    state.unread = why.message;
    if (this.helpersOutReported) return;
    this.helpersOutReported = true;
    this.problems.push({
      kind: 'settings-module-unread',
      message: `${why.message} at ${this.relative(state.file)}: it and the modules imported after it were not read, so names taken from them are unknown (Django mode reads them all)`,
      ...(state.inProject ? { file: state.file, line: 0 } : {}),
    });
  }

  private readFile(state: ModuleState, file: string): void {
    const source = this.readSource(file);
    if (source === null) return;
    const spot = { file, line: 0, env: new Set<string>() };
    const define = (name: string, value: PyValue) => state.namespace.set(name, { value, ...spot });
    define('__file__', str(file));
    define('__name__', str(state.name));
    define('__package__', str(state.packageName));
    this.runSource({ vars: state.namespace, module: state, parent: null, file, source, lineStarts: lineStarts(source) });
  }

  /** A settings file's text, or null with a problem said when it is too large or unreadable. */
  private readSource(file: string): string | null {
    try {
      const size = fs.statSync(file).size;
      if (size <= MAX_FILE_BYTES) return fs.readFileSync(file, 'utf8');
      this.problems.push({
        kind: 'settings-unreadable-file',
        message: `${file} could not be read: file too large (${size.toLocaleString('en')} bytes; static mode reads files up to ${MAX_FILE_BYTES.toLocaleString('en')})`,
        file,
      });
    } catch (error) {
      this.problems.push({ kind: 'settings-unreadable-file', message: `${file} could not be read: ${(error as Error).message}`, file });
    }
    return null;
  }

  /** Parses the scope's source and runs its statements (a parse over the budget stops the reading). */
  private runSource(scope: Scope): void {
    let tree: Tree;
    try {
      tree = this.budget.parse(parser, scope.source);
    } catch (error) {
      if (!(error instanceof BudgetExceeded)) throw error;
      this.budgetReported = true;
      this.report(scope, {
        kind: 'settings-stopped',
        message: `${this.relative(scope.file)} could not be read: ${error.message}; static mode read no further`,
        file: scope.file,
        line: 0,
      });
      return;
    }
    withBudget(this.budget, () => this.runBlock(childNodes(tree.topNode), scope, true));
  }

  /**
   * `include(...)` of django-split-settings as a statement: each file it names runs in this module's namespace
   * (true when the statement was one; the files' own problems are said at their lines).
   */
  private includeStatement(expression: SyntaxNode, scope: Scope, ctx: EvalContext): boolean {
    if (expression.name !== 'CallExpression' || scope.parent !== null) return false;
    const [calleeNode, argList] = childNodes(expression);
    if (!argList) return false;
    const callee = evaluate(calleeNode, ctx);
    if (callee.kind !== 'builtin' || callee.name !== SPLIT_SETTINGS_INCLUDE) return false;
    const args = parseArgs(argList, ctx);
    const scopeArg = 'kind' in args ? undefined : args.keywords.get('scope');
    const patterns =
      'kind' in args
        ? args.reason
        : scopeArg && !/\bscope\s*=\s*globals\(\s*\)/.test(textOf(argList, scope.source))
          ? 'a scope other than globals()'
          : includePatterns(args);
    if (typeof patterns === 'string') {
      this.report(scope, {
        kind: 'settings-import-unread',
        message: `${this.relative(scope.file)} line ${ctx.line + 1} calls include() with ${patterns}, which static mode cannot follow; names the included files set are unknown`,
        file: scope.file,
        line: ctx.line,
      });
      return true;
    }
    const includedFrom = scope.vars.get(INCLUDED_FILE)?.value ?? scope.vars.get('__file__')?.value;
    const folder = path.dirname(includedFrom?.kind === 'str' ? includedFrom.value : scope.module.file);
    for (const { pattern, optional } of patterns) {
      const saved = scope.vars.get(INCLUDED_FILE);
      const joined = pattern.startsWith('/') ? pattern : `${folder}/${pattern}`;
      const files = pythonGlob(joined);
      if (files.length === 0 && !optional)
        throw new PyRaise(
          ['OSError', 'Exception', 'BaseException'],
          `calls include('${pattern}'), which matches no file (OSError: No such file: ${joined})`,
        );
      for (const found of files) {
        const file = path.resolve(found);
        if (scope.module.included.includes(file)) continue;
        scope.module.included.push(file);
        scope.vars.set(INCLUDED_FILE, { value: str(file), file: scope.file, line: ctx.line, env: new Set() });
        const source = this.readSource(file);
        if (source !== null) this.runSource({ ...scope, file, source, lineStarts: lineStarts(source) });
      }
      if (saved?.value.kind === 'str' && saved.value.value) scope.vars.set(INCLUDED_FILE, saved);
      else scope.vars.delete(INCLUDED_FILE);
    }
    return true;
  }

  /** Runs statements; at module top level a raised exception is reported and the next statement runs. */
  private runBlock(statements: SyntaxNode[], scope: Scope, topLevel: boolean): void {
    if (!topLevel && ++this.blockDepth > MAX_BLOCK_DEPTH) {
      this.blockDepth--;
      throw new StaticModeLimit('nests blocks deeper than Python accepts');
    }
    try {
      for (const statement of statements) {
        if (!topLevel) {
          this.runStatement(statement, scope);
          continue;
        }
        if (this.budget.exhausted) break;
        try {
          this.runStatement(statement, scope);
        } catch (error) {
          if (error instanceof LoopControl) continue;
          if (error instanceof HelpersOut) throw error;
          // The module that spent the budget reports it; the modules importing it stop without a word.
          const stopped = error instanceof BudgetExceeded && error.fatal;
          if (stopped && this.budgetReported) break;
          if (stopped) this.budgetReported = true;
          const line = lineOf(scope, statement.from);
          const why =
            error instanceof PyRaise
              ? `${error.description}; Django would stop loading settings here, static mode read on`
              : describeFailure(error);
          this.report(scope, {
            kind: error instanceof PyRaise ? 'settings-raises' : stopped ? 'settings-stopped' : 'settings-statement-unreadable',
            message: `${this.relative(scope.file)} line ${line + 1} ${why}`,
            file: scope.file,
            line,
          });
        }
      }
    } finally {
      if (!topLevel) this.blockDepth--;
    }
  }

  /** Problems in site-packages modules are not the user's: only project files report. */
  private report(scope: Scope, problem: Problem): void {
    if (scope.module.inProject) this.problems.push(problem);
  }

  private relative(file: string): string {
    const relative = path.relative(this.options.cwd, file);
    return relative.startsWith('..') ? file : relative;
  }

  private context(node: SyntaxNode, scope: Scope): EvalContext {
    return {
      file: scope.file,
      line: lineOf(scope, node.from),
      source: scope.source,
      cwd: this.options.cwd,
      env: new Set(),
      lookup: (name, ctx) => this.lookup(name, scope, ctx),
      // Only the user's own code gets attributes of unread modules resolved (reading more site-packages
      // files while reading site-packages would cascade).
      attribute: scope.module.inProject ? (object, name) => this.attribute(object, name) : undefined,
    };
  }

  private attribute(object: PyValue, name: string): PyValue | undefined {
    if (object.kind === 'class') return this.classAttribute(object, name);
    if (object.kind !== 'external') return undefined;
    const resolved = this.resolveExternal(object);
    if (!resolved) return undefined;
    if (resolved.kind === 'class') return this.classAttribute(resolved, name);
    if (resolved.kind === 'module' && resolved.namespace) return resolved.namespace.get(name)?.value;
    return undefined;
  }

  /**
   * What a name from an unread module stands for, reading that module now (site-packages included). Used
   * for class attributes (`StaticFilesConfig.ignore_patterns`) and AppConfig bases; null when not found.
   */
  resolveExternal(value: Extract<PyValue, { kind: 'external' }>, depth = 0): PyValue | null {
    if (depth > MAX_RESOLVE_DEPTH) return null;
    if (!value.name) {
      const state = this.importModule(value.module, true);
      return state ? { kind: 'module', name: state.name, namespace: state.namespace } : null;
    }
    const state = this.importModule(value.module, true);
    const found = state?.namespace.get(value.name)?.value;
    if (!found) {
      const submodule = this.importModule(`${value.module}.${value.name}`, true);
      return submodule ? { kind: 'module', name: submodule.name, namespace: submodule.namespace } : null;
    }
    return found.kind === 'external' ? this.resolveExternal(found, depth + 1) : found;
  }

  /** A class attribute looked up along the bases (depth first, left to right: enough for single inheritance). */
  classAttribute(value: PyValue, name: string, depth = 0, skip?: (base: PyValue) => boolean): PyValue | undefined {
    if (depth > MAX_RESOLVE_DEPTH || skip?.(value)) return undefined;
    const resolved = value.kind === 'external' ? this.resolveExternal(value, depth) : value;
    if (!resolved || resolved.kind !== 'class') return undefined;
    const own = resolved.attrs.get(name);
    if (own) return own;
    for (const base of resolved.bases) {
      const inherited = this.classAttribute(base, name, depth + 1, skip);
      if (inherited) return inherited;
    }
    return undefined;
  }

  private lookup(name: string, scope: Scope, ctx: EvalContext): PyValue {
    for (let current: Scope | null = scope; current; current = current.parent) {
      const binding = current.vars.get(name);
      if (binding) {
        for (const variable of binding.env) ctx.env.add(variable);
        return binding.value;
      }
    }
    const skipped = scope.module.skipped.get(name);
    if (skipped) return skipped.value;
    const builtin = PYTHON_BUILTINS[name];
    if (builtin) return builtin;
    // Python has it, static mode does not: "not defined" would read as a NameError Django would raise.
    if (UNEVALUATED_BUILTINS.has(name)) return unknown(`uses ${name}(), a Python built-in static mode does not evaluate`, ctx);
    return unknown(`uses ${name}, which is not defined`, ctx);
  }

  private bind(scope: Scope, name: string, value: PyValue, ctx: EvalContext): void {
    const env = new Set(ctx.env);
    for (const variable of this.conditionEnv) env.add(variable);
    scope.vars.set(name, { value, file: ctx.file, line: ctx.line, env });
    scope.module.skipped.delete(name);
    if (scope.parent === null) this.noteOrigins(name, value, ctx);
  }

  /** Items not seen before were written by this statement. */
  private noteOrigins(name: string, value: PyValue, spot: SourceSpot): void {
    if (!this.options.originNames?.has(name)) return;
    const items = isSequence(value) ? value.items : value.kind === 'dict' ? [...value.entries.values()].map((e) => e.value) : [];
    for (const item of items) if (!this.origins.has(item)) this.origins.set(item, { file: spot.file, line: spot.line });
  }

  private runStatement(node: SyntaxNode, scope: Scope): void {
    step();
    if (hasSyntaxError(node)) {
      this.reportSyntaxError(node, scope);
      if (node.name !== 'AssignStatement') return;
    }
    switch (node.name) {
      case 'AssignStatement':
        return this.assign(node, scope);
      case 'UpdateStatement':
        return this.update(node, scope);
      case 'ExpressionStatement': {
        const ctx = this.context(node, scope);
        const expression = meaningfulChildren(node)[0];
        if (expression && !this.includeStatement(expression, scope, ctx)) {
          const value = evaluate(expression, ctx);
          this.noteMutation(expression, scope, ctx);
          if (isUnknown(value) && scope.parent === null) this.noteModuleWriter(expression, scope, ctx, false);
        }
        return;
      }
      case 'ImportStatement':
        return this.importStatement(node, scope);
      case 'IfStatement':
        return this.ifStatement(node, scope);
      case 'ForStatement':
        return this.forStatement(node, scope);
      case 'TryStatement':
        return this.tryStatement(node, scope);
      case 'WithStatement': {
        const body = childNodes(node).find((c) => c.name === 'Body');
        if (body) this.runBlock(bodyStatements(body), scope, false);
        return;
      }
      case 'FunctionDefinition':
      case 'DecoratedStatement': {
        const definition =
          node.name === 'DecoratedStatement'
            ? childNodes(node).find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition')
            : node;
        if (!definition) return;
        if (definition.name === 'ClassDefinition') return this.classDefinition(definition, scope);
        const nameNode = childNodes(definition).find((c) => c.name === 'VariableName');
        if (!nameNode) return;
        const ctx = this.context(node, scope);
        const name = textOf(nameNode, scope.source);
        // Decorated defs stay uncalled: the decorator may change what calling them means.
        const value: PyValue =
          node === definition && scope.parent === null
            ? defValue(definition, name, ctx)
            : { kind: 'function', name, file: ctx.file, line: ctx.line };
        this.bind(scope, name, value, ctx);
        return;
      }
      case 'ClassDefinition':
        return this.classDefinition(node, scope);
      case 'DeleteStatement': {
        for (const target of meaningfulChildren(node).filter((c) => c.name === 'VariableName'))
          scope.vars.delete(textOf(target, scope.source));
        return;
      }
      case 'RaiseStatement': {
        const raised = meaningfulChildren(node).find((c) => c.name !== 'raise' && c.name !== 'from');
        const type = raised ? textOf(raised.name === 'CallExpression' ? raised.firstChild! : raised, scope.source) : 'Exception';
        throw new PyRaise([type.split('.').pop()!, 'Exception', 'BaseException'], `raises ${type}`);
      }
      case 'BreakStatement':
        throw new LoopControl('break');
      case 'ContinueStatement':
        throw new LoopControl('continue');
      case 'WhileStatement':
        return this.skipBlock(node, scope, 'is a while loop, which static mode does not run');
      default:
        return;
    }
  }

  private reportSyntaxError(node: SyntaxNode, scope: Scope): void {
    const file = scope.file;
    if (this.reportedSyntax.has(file)) return;
    this.reportedSyntax.add(file);
    let errorAt = node.from;
    node.toTree().iterate({
      enter: (n) => {
        if (n.type.isError && errorAt === node.from) errorAt = node.from + n.from;
      },
    });
    const line = lineOf(scope, errorAt);
    this.report(scope, {
      kind: 'settings-syntax-error',
      message: `${this.relative(file)} line ${line + 1} has a syntax error: Django cannot import it. Static mode read the statements it could parse and used defaults for the rest.`,
      file,
      line,
    });
  }

  /**
   * A call static mode does not run, handed this module itself (`Settings.load_settings(__name__)`,
   * `globals().update(...)`, `setattr(sys.modules[__name__], ...)`, dynaconf's `settings =
   * DjangoDynaconf(__name__)`): it can set any setting here, so a setting still unset after it is unknown, not
   * unset. An assigned call needs more than `__name__` (`logger = logging.getLogger(__name__)` sets nothing).
   */
  private noteModuleWriter(expression: SyntaxNode, scope: Scope, ctx: EvalContext, assigned: boolean): void {
    if (expression.name !== 'CallExpression') return;
    const [calleeNode, argList] = childNodes(expression);
    const callee = textOf(calleeNode, scope.source);
    const args = argList ? textOf(argList, scope.source) : '';
    if (callee === 'print') return;
    const writes = assigned
      ? /\bDjangoDynaconf$/.test(callee) || MODULE_NAMESPACE.test(args)
      : /^(globals|vars|locals)\(\s*\)\./.test(callee) || MODULE_NAMESPACE.test(args) || /\b__name__\b/.test(args);
    if (!writes) return;
    this.report(scope, {
      kind: 'settings-import-unread',
      message: `${this.relative(scope.file)} line ${ctx.line + 1} calls ${oneLine(callee)}() with this module's namespace, which static mode does not run; settings it sets are unknown`,
      file: scope.file,
      line: ctx.line,
    });
  }

  /** `a = b = value`, `a, b = 1, 2`, `x['k'] = v`, `X: T = v`. */
  private assign(node: SyntaxNode, scope: Scope): void {
    const ctx = this.context(node, scope);
    const segments: SyntaxNode[][] = [[]];
    for (const child of childNodes(node)) {
      if (child.name === 'AssignOp') segments.push([]);
      else if (child.name !== 'TypeDef') segments[segments.length - 1].push(child);
    }
    if (segments.length < 2) return; // a bare annotation binds nothing
    const valueNodes = segments.pop()!;
    const value = this.evaluateSegment(valueNodes, ctx);
    if (isUnknown(value) && scope.parent === null && valueNodes.length === 1) this.noteModuleWriter(valueNodes[0], scope, ctx, true);
    for (const targetNodes of segments) this.assignTarget(targetNodes, value, scope, ctx);
  }

  private evaluateSegment(nodes: SyntaxNode[], ctx: EvalContext): PyValue {
    const items = nodes.filter((c) => c.name !== ',');
    if (items.length === 1 && !nodes.some((c) => c.name === ',')) return evaluate(items[0], ctx);
    return { kind: 'tuple', items: items.map((item) => evaluate(item, ctx)) };
  }

  private assignTarget(targetNodes: SyntaxNode[], value: PyValue, scope: Scope, ctx: EvalContext): void {
    const targets = targetNodes.filter((c) => c.name !== ',');
    if (targets.length > 1 || targetNodes.some((c) => c.name === ',')) {
      const items = isSequence(value) ? value.items : null;
      targets.forEach((target, i) =>
        this.assignTarget(
          [target],
          items && items.length === targets.length ? items[i] : unknown(`unpacks a value static mode cannot split`, ctx),
          scope,
          ctx,
        ),
      );
      return;
    }
    const target = targets[0];
    if (!target) return;
    switch (target.name) {
      case 'VariableName':
        return this.bind(scope, textOf(target, scope.source), value, ctx);
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'ParenthesizedExpression':
        return this.assignTarget(meaningfulChildren(target), value, scope, ctx);
      case 'MemberExpression': {
        const children = childNodes(target);
        if (children[1]?.name !== '[') return; // attribute assignment: nothing static mode tracks
        const container = evaluate(children[0], ctx);
        const key = evaluate(children[2], ctx);
        this.setItem(container, key, value);
        this.noteMutation(target, scope, ctx);
        return;
      }
    }
  }

  private setItem(container: PyValue, key: PyValue, value: PyValue): void {
    if (container.kind === 'dict' || container.kind === 'list') grow(container, [value]);
    if (container.kind === 'dict' && !isUnknown(key)) container.entries.set(keyOf(key), { key, value });
    else if (container.kind === 'list' && key.kind === 'int') {
      const at = key.value < 0 ? container.items.length + key.value : key.value;
      if (at >= 0 && at < container.items.length) container.items[at] = value;
    }
  }

  /** Records that a statement changed the binding it starts from (`X.append(...)`, `X['k'] = ...`). */
  private noteMutation(expression: SyntaxNode, scope: Scope, ctx: EvalContext): void {
    let root: SyntaxNode | null = expression;
    while (root && (root.name === 'CallExpression' || root.name === 'MemberExpression')) root = root.firstChild;
    if (!root || root.name !== 'VariableName') return;
    const name = textOf(root, scope.source);
    const binding = scope.vars.get(name);
    if (!binding) return;
    for (const variable of ctx.env) binding.env.add(variable);
    if (scope.parent === null) this.noteOrigins(name, binding.value, ctx);
  }

  /** `X += value` (in place for lists, as in Python), `X /= 'sub'`, `X['k'] += [...]`. */
  private update(node: SyntaxNode, scope: Scope): void {
    const ctx = this.context(node, scope);
    const [target, operator, valueNode] = childNodes(node);
    if (!target || !operator || !valueNode) return;
    const op = textOf(operator, scope.source).slice(0, -1);
    const current = evaluate(target, ctx);
    const value = evaluate(valueNode, ctx);
    if (op === '+' && current.kind === 'list') {
      const more = iterate(value);
      if (more) grow(current, more);
      // One item at a time: spreading a long list into push() overflows the call stack.
      if (more) for (const item of more === current.items ? [...more] : more) current.items.push(item);
      else current.items.push(isUnknown(value) ? { ...value, spread: true } : unknown('adds a value that is not iterable', ctx));
      this.noteMutation(target, scope, ctx);
      return;
    }
    if (op === '|' && current.kind === 'dict' && value.kind === 'dict') {
      for (const [k, e] of value.entries) current.entries.set(k, { ...e });
      this.noteMutation(target, scope, ctx);
      return;
    }
    this.assignTarget([target], binaryArith(op, current, value, ctx), scope, ctx);
  }

  private ifStatement(node: SyntaxNode, scope: Scope): void {
    const children = childNodes(node);
    const conditionEnv: string[] = [];
    let taken: SyntaxNode | null = null;
    for (let i = 0; i < children.length && !taken; i++) {
      const child = children[i];
      if (child.name === 'else') {
        taken = children[i + 1] ?? null;
        break;
      }
      if (child.name !== 'if' && child.name !== 'elif') continue;
      const condition = children[i + 1];
      const body = children[i + 2];
      if (!condition || !body) return;
      const ctx = this.context(condition, scope);
      const test = truthy(evaluate(condition, ctx));
      conditionEnv.push(...ctx.env);
      if (test === null) {
        const why = `is inside \`${child.name} ${oneLine(textOf(condition, scope.source))}:\`, whose condition static mode cannot evaluate`;
        for (const rest of children.slice(i)) if (rest.name === 'Body') this.skipBlock(rest, scope, why);
        return;
      }
      if (test) taken = body;
      i += 2;
    }
    if (conditionEnv.length) this.reportEnvironmentBranches(children, taken, conditionEnv, scope);
    if (!taken) return;
    const saved = this.conditionEnv;
    this.conditionEnv = [...saved, ...conditionEnv];
    try {
      this.runBlock(bodyStatements(taken), scope, false);
    } finally {
      this.conditionEnv = saved;
    }
  }

  /** Watched settings in branches not taken because of an environment default are worth a note. */
  private reportEnvironmentBranches(children: SyntaxNode[], taken: SyntaxNode | null, env: string[], scope: Scope): void {
    const variables = [...new Set(env)].join(', ');
    for (const body of children) {
      if (body.name !== 'Body' || body === taken) continue;
      for (const { name, line } of assignedNames(body, scope.source, scope.lineStarts)) {
        if (!this.options.watchedNames.has(name) || scope.parent !== null) continue;
        this.report(scope, {
          kind: 'setting-from-environment',
          message: `${name} in ${this.relative(scope.file)} line ${line + 1} is set in a branch that depends on environment variable${env.length > 1 ? 's' : ''} ${variables}; static mode assumed the default and did not take it`,
          file: scope.file,
          line,
        });
      }
    }
  }

  private forStatement(node: SyntaxNode, scope: Scope): void {
    const children = childNodes(node);
    const inAt = children.findIndex((c) => c.name === 'in');
    const targets = children.slice(1, Math.max(1, inAt));
    const iterableNode = children[inAt + 1];
    const bodies = children.filter((c) => c.name === 'Body');
    if (inAt < 0 || !targets.length || !iterableNode || !bodies[0]) return;
    const ctx = this.context(node, scope);
    const iterable = evaluate(iterableNode, ctx);
    const items = iterate(iterable);
    if (!items || items.some((item) => isUnknown(item) && item.spread) || items.length > MAX_LOOP_ITERATIONS) {
      for (const body of bodies)
        this.skipBlock(
          body,
          scope,
          `is inside \`for ... in ${oneLine(textOf(iterableNode, scope.source))}:\`, which static mode cannot iterate`,
        );
      return;
    }
    let broke = false;
    for (const item of [...items]) {
      const bound = new Map<string, PyValue>();
      const failed = bindTargets(targets, item, bound, ctx);
      for (const [name, value] of bound) this.bind(scope, name, value, ctx);
      if (failed) return this.skipBlock(bodies[0], scope, failed.reason);
      try {
        this.runBlock(bodyStatements(bodies[0]), scope, false);
      } catch (error) {
        if (!(error instanceof LoopControl)) throw error;
        if (error.kind === 'break') {
          broke = true;
          break;
        }
      }
    }
    if (!broke && bodies[1]) this.runBlock(bodyStatements(bodies[1]), scope, false);
  }

  private tryStatement(node: SyntaxNode, scope: Scope): void {
    const children = childNodes(node);
    const body = children[1];
    const handlers: { types: SyntaxNode | null; alias: SyntaxNode | null; body: SyntaxNode }[] = [];
    let elseBody: SyntaxNode | null = null;
    let finallyBody: SyntaxNode | null = null;
    for (let i = 2; i < children.length; i++) {
      const child = children[i];
      if (child.name === 'except') {
        let j = i + 1;
        let types: SyntaxNode | null = null;
        let alias: SyntaxNode | null = null;
        if (children[j] && children[j].name !== 'Body') types = children[j++];
        if (children[j]?.name === 'as') {
          alias = children[j + 1] ?? null;
          j += 2;
        }
        if (children[j]?.name === 'Body') handlers.push({ types, alias, body: children[j] });
        i = j;
      } else if (child.name === 'else') elseBody = children[++i] ?? null;
      else if (child.name === 'finally') finallyBody = children[++i] ?? null;
    }
    try {
      let raised: PyRaise | null = null;
      try {
        if (body) this.runBlock(bodyStatements(body), scope, false);
      } catch (error) {
        if (!(error instanceof PyRaise)) throw error;
        raised = error;
      }
      if (!raised) {
        if (elseBody) this.runBlock(bodyStatements(elseBody), scope, false);
        return;
      }
      const handler = handlers.find((h) => !h.types || handlerMatches(textOf(h.types, scope.source), raised!.types));
      if (!handler) throw raised;
      this.runBlock(bodyStatements(handler.body), scope, false);
    } finally {
      if (finallyBody) this.runBlock(bodyStatements(finallyBody), scope, false);
    }
  }

  /** Leaves a block unrun; names it assigns keep their earlier value, and watched ones are reported. */
  private skipBlock(block: SyntaxNode, scope: Scope, why: string): void {
    for (const { name, line } of assignedNames(block, scope.source, scope.lineStarts)) {
      if (this.options.watchedNames.has(name) && scope.parent === null) {
        this.report(scope, {
          kind: 'setting-unreadable',
          message: `${name} in ${this.relative(scope.file)} line ${line + 1} could not be read: it ${why}; static mode kept its earlier value`,
          file: scope.file,
          line,
        });
      }
      if (!scope.vars.has(name)) {
        scope.module.skipped.set(name, {
          value: unknown(`uses ${name}, which is only assigned in a block static mode skipped (line ${line + 1}: it ${why})`, {
            file: scope.file,
            line,
          }),
          file: scope.file,
          line,
          env: new Set(),
        });
      }
    }
  }

  private classDefinition(node: SyntaxNode, scope: Scope): void {
    const children = childNodes(node);
    const nameNode = children.find((c) => c.name === 'VariableName');
    const argList = children.find((c) => c.name === 'ArgList');
    const body = children.find((c) => c.name === 'Body');
    if (!nameNode) return;
    const ctx = this.context(node, scope);
    const bases: PyValue[] = [];
    if (argList) {
      const args = childNodes(argList).filter((c) => !['(', ')', ','].includes(c.name));
      for (let i = 0; i < args.length; i++) {
        if (args[i + 1]?.name === 'AssignOp') {
          i += 2; // metaclass=...
          continue;
        }
        bases.push(evaluate(args[i], ctx));
      }
    }
    const name = textOf(nameNode, scope.source);
    const attrs = new Map<string, Binding>();
    const classScope: Scope = { ...scope, vars: attrs, parent: scope };
    if (body) this.runBlock(bodyStatements(body), classScope, false);
    const value: ClassValue = {
      kind: 'class',
      name,
      module: scope.module.name,
      bases,
      attrs: new Map([...attrs].map(([k, b]) => [k, b.value])),
      file: ctx.file,
      line: ctx.line,
    };
    this.bind(scope, name, value, ctx);
    if (scope.parent === null && scope.module.settings && bases.some(isConfigurationClass) && !this.configurationsReported) {
      // django-configurations picks one class by DJANGO_CONFIGURATION and makes its attributes the settings.
      this.configurationsReported = true;
      this.report(scope, {
        kind: 'settings-import-unread',
        message: `${this.relative(scope.file)} line ${ctx.line + 1} defines ${name}, a django-configurations class: static mode does not read settings held in classes, so they are unknown (Django mode reads them)`,
        file: scope.file,
        line: ctx.line,
      });
    }
  }

  private importStatement(node: SyntaxNode, scope: Scope): void {
    const ctx = this.context(node, scope);
    const children = childNodes(node);
    if (children[0]?.name === 'import') return this.plainImport(children.slice(1), scope, ctx);
    // from <dots><module> import <names>
    const importAt = children.findIndex((c) => c.name === 'import');
    let level = 0;
    const moduleParts: string[] = [];
    for (const child of children.slice(1, importAt)) {
      const text = textOf(child, scope.source);
      if (child.name === '.' || child.name === 'Ellipsis') {
        if (moduleParts.length === 0) level += text.length;
      } else if (child.name === 'VariableName') moduleParts.push(text);
    }
    const relativeName = moduleParts.join('.') || null;
    const moduleName = level > 0 ? resolveRelativeModule(level, relativeName, scope.module.packageName) : relativeName;
    if (!moduleName) throw new PyRaise(['ImportError', ...IMPORT_ERROR_TYPES], 'has a relative import beyond the top-level package');
    const names = children.slice(importAt + 1).filter((c) => !['(', ')', ','].includes(c.name));
    if (names.some((c) => c.name === '*')) return this.starImport(moduleName, level > 0, scope, ctx);
    for (let i = 0; i < names.length; i++) {
      const imported = textOf(names[i], scope.source);
      let alias = imported;
      if (names[i + 1]?.name === 'as') {
        alias = textOf(names[i + 2], scope.source);
        i += 2;
      }
      this.bind(scope, alias, this.importName(moduleName, imported, level > 0, scope, ctx), ctx);
    }
  }

  /** `import a.b` binds `a`; `import a.b as c` binds the module a.b. */
  private plainImport(parts: SyntaxNode[], scope: Scope, ctx: EvalContext): void {
    const groups: SyntaxNode[][] = [[]];
    for (const part of parts) {
      if (part.name === ',') groups.push([]);
      else groups[groups.length - 1].push(part);
    }
    for (const group of groups) {
      const asAt = group.findIndex((c) => c.name === 'as');
      const dotted = group
        .slice(0, asAt < 0 ? undefined : asAt)
        .filter((c) => c.name === 'VariableName')
        .map((c) => textOf(c, scope.source));
      if (!dotted.length) continue;
      const full = dotted.join('.');
      const alias = asAt >= 0 ? textOf(group[asAt + 1], scope.source) : null;
      const moduleValue = this.moduleValue(full, false, scope);
      if (alias) this.bind(scope, alias, moduleValue, ctx);
      else this.bind(scope, dotted[0], dotted.length === 1 ? moduleValue : this.moduleValue(dotted[0], false, scope), ctx);
    }
  }

  /**
   * The value a module name stands for: a known stdlib module, a project module's namespace (read now, as
   * Python would), or an external reference for anything else (site-packages modules are read only on
   * demand, for AppConfig classes). A project import that does not resolve raises ImportError.
   */
  private moduleValue(name: string, relative: boolean, scope: Scope, settings = false): PyValue {
    if (name in KNOWN_MODULE_MEMBERS) return { kind: 'module', name };
    if (name === 'sys') return this.sysModule;
    this.syncSysPath();
    const location = this.options.resolver.resolve(name);
    if (location?.inProject) {
      const state = this.importModule(name, false, settings)!;
      return { kind: 'module', name, namespace: state.namespace };
    }
    if (!location && scope.module.inProject && (relative || this.isProjectPackagePrefix(name))) {
      throw new PyRaise(IMPORT_ERROR_TYPES, `imports ${name}, which does not exist (ModuleNotFoundError)`);
    }
    if (!location && scope.module.inProject && this.surelyMissing(name)) {
      throw new PyRaise(
        IMPORT_ERROR_TYPES,
        `imports ${name}, which is neither in the project, nor in the site-packages static mode knows, nor in the standard library (ModuleNotFoundError)`,
      );
    }
    return { kind: 'external', module: name, name: null };
  }

  private surelyMissing(name: string): boolean {
    const top = name.split('.')[0];
    return !!this.options.sitePackagesKnown && !STDLIB_MODULES.has(top) && !(top in KNOWN_MODULE_MEMBERS);
  }

  /** True when the module's top-level package is in the project, so a missing submodule is a real ImportError. */
  private isProjectPackagePrefix(name: string): boolean {
    const top = this.options.resolver.resolve(name.split('.')[0]);
    return !!top && top.inProject;
  }

  private importName(moduleName: string, name: string, relative: boolean, scope: Scope, ctx: SourceSpot): PyValue {
    const known = KNOWN_MODULE_MEMBERS[moduleName];
    if (known) return known[name] ?? unknown(`imports ${name} from ${moduleName}, which static mode does not implement`, ctx);
    const module = this.moduleValue(moduleName, relative, scope);
    if (module.kind === 'module' && module.namespace) {
      const binding = module.namespace.get(name);
      if (binding) return binding.value;
      const submodule = this.importModule(`${moduleName}.${name}`, false);
      if (submodule) return { kind: 'module', name: submodule.name, namespace: submodule.namespace };
      const unread = this.modules.get(module.name)?.unread;
      if (unread) return unknown(`imports ${name} from ${moduleName}, which static mode did not read to its end (${unread})`, ctx);
      if (!scope.module.inProject) return unknown(`imports ${name} from ${moduleName}, which does not define it`, ctx);
      throw new PyRaise(
        ['ImportError', ...IMPORT_ERROR_TYPES],
        `imports ${name} from ${moduleName}, which does not define it (ImportError)`,
      );
    }
    return getAttribute(module, name, ctx);
  }

  private starImport(moduleName: string, relative: boolean, scope: Scope, ctx: EvalContext): void {
    const module = this.moduleValue(moduleName, relative, scope, scope.module.settings);
    scope.module.starImports.push(moduleName);
    if (module.kind === 'external') {
      this.report(scope, {
        kind: 'settings-import-unread',
        message: `${this.relative(scope.file)} line ${ctx.line + 1} imports * from ${moduleName}, which static mode does not read; names it defines are unknown`,
        file: scope.file,
        line: ctx.line,
      });
      return;
    }
    if (module.kind !== 'module') return;
    const source = module.namespace ?? new Map<string, Binding>();
    const all = source.get('__all__')?.value;
    const names =
      all && isSequence(all)
        ? all.items.flatMap((item) => (item.kind === 'str' ? [item.value] : []))
        : [...source.keys()].filter((n) => !n.startsWith('_'));
    for (const name of names) {
      const binding = source.get(name);
      if (binding) scope.vars.set(name, { ...binding, env: new Set(binding.env) });
    }
    if (module.name === 'os.path' || module.name === 'os' || module.name === 'pathlib') {
      for (const [name, value] of Object.entries(KNOWN_MODULE_MEMBERS[module.name])) this.bind(scope, name, value, ctx);
    }
  }
}

/** `configurations.Configuration`, or a class built on it. */
function isConfigurationClass(value: PyValue): boolean {
  if (value.kind === 'external') return value.module === 'configurations' && value.name === 'Configuration';
  return value.kind === 'class' && value.bases.some(isConfigurationClass);
}

function lineOf(scope: Scope, offset: number): number {
  return lineAt(scope.lineStarts, offset);
}
