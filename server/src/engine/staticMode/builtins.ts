/**
 * The small part of Python's standard library settings files use to build paths and lists: `os.path`,
 * `pathlib.Path`, `os.environ`/`os.getenv` (answered with their defaults), `str`/`list`/`dict` methods
 * and the operators between them. Everything else is an unknown value with a reason.
 */
import * as os from 'node:os';
import { ENV_LIBRARY_MODULES, envLibraryAttribute, envLibraryCall } from './envLibraries';
import * as pyPath from './pyPath';
import {
  bool,
  DictEntries,
  isSequence,
  isUnknown,
  keyOf,
  NONE,
  pyEquals,
  pyRepr,
  pyStr,
  PyValue,
  SourceSpot,
  str,
  truthy,
  typeName,
  unknown,
} from './values';

/** What a builtin needs from the statement being evaluated. */
export interface CallSite extends SourceSpot {
  /** The folder Django runs in, for relative paths. */
  cwd: string;
  /** Environment variables read by the statement; static mode answers with their defaults. */
  env: Set<string>;
  /** Source text of the callee, for messages (`get_dirs`). */
  calleeText: string;
}

export interface CallArgs {
  positional: PyValue[];
  keywords: Map<string, PyValue>;
}

/** Names a settings module can import from the standard library with a meaning static mode knows. */
export const KNOWN_MODULE_MEMBERS: Record<string, Record<string, PyValue>> = {
  os: {
    path: { kind: 'module', name: 'os.path' },
    environ: { kind: 'module', name: 'os.environ' },
    getenv: { kind: 'builtin', name: 'os.getenv' },
    getcwd: { kind: 'builtin', name: 'os.getcwd' },
    fspath: { kind: 'builtin', name: 'os.fspath' },
    sep: str('/'),
    pathsep: str(':'),
  },
  'os.path': Object.fromEntries(
    ['join', 'dirname', 'abspath', 'realpath', 'normpath', 'basename', 'expanduser', 'exists', 'isdir', 'isfile', 'isabs'].map(
      (name) => [name, { kind: 'builtin', name: `os.path.${name}` } as PyValue],
    ),
  ),
  pathlib: Object.fromEntries(
    ['Path', 'PurePath', 'PosixPath', 'PurePosixPath'].map((name) => [name, { kind: 'builtin', name: 'pathlib.Path' } as PyValue]),
  ),
  ...ENV_LIBRARY_MODULES,
};

export const PYTHON_BUILTINS: Record<string, PyValue> = Object.fromEntries(
  ['str', 'int', 'float', 'bool', 'list', 'tuple', 'dict', 'len', 'sorted', 'reversed', 'isinstance'].map((name) => [
    name,
    { kind: 'builtin', name } as PyValue,
  ]),
);

function asText(value: PyValue): string | null {
  return value.kind === 'str' || value.kind === 'path' ? value.value : null;
}

function pathValue(value: string): PyValue {
  return { kind: 'path', value: pyPath.pathlibNormalize(value) };
}

function typeError(site: CallSite, message: string): PyValue {
  return unknown(`raises TypeError (${message}); Django would fail here`, site);
}

/** `value.name`, or an unknown value saying why there is none. */
export function getAttribute(value: PyValue, name: string, site: SourceSpot): PyValue {
  switch (value.kind) {
    case 'unknown':
      return value;
    case 'module': {
      if (value.namespace) {
        const binding = value.namespace.get(name);
        return binding ? binding.value : unknown(`module ${value.name} has no attribute ${name}`, site);
      }
      if (value.name === 'os.environ') {
        if (name === 'get' || name === 'setdefault') return { kind: 'builtin', name: `os.environ.${name}` };
        return unknown(`uses os.environ.${name}, which static mode does not read`, site);
      }
      const member = KNOWN_MODULE_MEMBERS[value.name]?.[name];
      return member ?? unknown(`uses ${value.name}.${name}, which static mode does not implement`, site);
    }
    case 'external':
      return { kind: 'external', module: value.name ? `${value.module}.${value.name}` : value.module, name };
    case 'path':
      return pathAttribute(value.value, name, site);
    case 'class': {
      const own = value.attrs.get(name);
      if (own) return own;
      return unknown(`${value.name}.${name} is not set in the class body static mode read`, site);
    }
    case 'builtin':
      if (value.name === 'pathlib.Path' && (name === 'cwd' || name === 'home')) return { kind: 'builtin', name: `pathlib.Path.${name}` };
      if (value.name.startsWith('environ.')) return envLibraryAttribute(value, name, site);
      return unknown(`uses ${value.name}.${name}, which static mode does not implement`, site);
    case 'str':
    case 'list':
    case 'tuple':
    case 'dict':
      if (METHODS[value.kind].includes(name)) return { kind: 'builtin', name: `${value.kind}.${name}`, self: value };
      return unknown(`uses ${typeName(value)}.${name}, which static mode does not implement`, site);
    default:
      return unknown(`uses ${typeName(value)}.${name}, which static mode does not implement`, site);
  }
}

const METHODS: Record<'str' | 'list' | 'tuple' | 'dict', string[]> = {
  str: ['replace', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'startswith', 'endswith', 'split', 'join', 'format', 'removeprefix', 'removesuffix'],
  list: ['append', 'extend', 'insert', 'remove', 'copy', 'index', 'pop', 'count'],
  tuple: ['index', 'count'],
  dict: ['get', 'update', 'setdefault', 'copy', 'keys', 'values', 'items', 'pop'],
};

const PATH_METHODS = ['resolve', 'absolute', 'joinpath', 'as_posix', 'expanduser', 'exists', 'is_dir', 'is_file', 'with_name', 'with_suffix'];

function pathAttribute(p: string, name: string, site: SourceSpot): PyValue {
  switch (name) {
    case 'parent':
      return { kind: 'path', value: pyPath.pathlibParent(p) };
    case 'parents': {
      const parents: PyValue[] = [];
      let current = p;
      for (let parent = pyPath.pathlibParent(current); parent !== current; parent = pyPath.pathlibParent(current)) {
        parents.push({ kind: 'path', value: parent });
        current = parent;
      }
      return { kind: 'tuple', items: parents };
    }
    case 'name':
      return str(pyPath.pathlibName(p));
    case 'stem': {
      const base = pyPath.pathlibName(p);
      const dot = base.lastIndexOf('.');
      return str(dot > 0 ? base.slice(0, dot) : base);
    }
    case 'suffix': {
      const base = pyPath.pathlibName(p);
      const dot = base.lastIndexOf('.');
      return str(dot > 0 && dot < base.length - 1 ? base.slice(dot) : '');
    }
    default:
      if (PATH_METHODS.includes(name)) return { kind: 'builtin', name: `path.${name}`, self: { kind: 'path', value: p } };
      return unknown(`uses Path.${name}, which static mode does not implement`, site);
  }
}

const KEEPS_UNKNOWN_ARGUMENTS = new Set([
  'list.append',
  'list.extend',
  'list.insert',
  'dict.update',
  'dict.get',
  'dict.setdefault',
  'os.environ.get',
  'os.environ.setdefault',
  'os.getenv',
]);

/** Calls a builtin; user functions and unknown callees are never called. */
export function callValue(callee: PyValue, args: CallArgs, site: CallSite): PyValue {
  if (callee.kind === 'unknown') return callee;
  if (callee.kind !== 'builtin') {
    return unknown(`calls ${site.calleeText}(), which static mode does not execute`, site);
  }
  const unknownArg = [...args.positional, ...args.keywords.values()].find(isUnknown);
  // Mutating methods keep what is known: an unknown item is stored as such. Lookups with an unknown
  // default still answer when the key is known.
  if (unknownArg && !KEEPS_UNKNOWN_ARGUMENTS.has(callee.name)) return unknownArg;
  if (callee.name.startsWith('decouple.') || callee.name.startsWith('environ.')) return envLibraryCall(callee, args, site);
  const [a, b, c] = args.positional;
  switch (callee.name) {
    case 'os.getenv':
    case 'os.environ.get':
    case 'os.environ.setdefault': {
      const name = a && asText(a);
      if (name === null || name === undefined) return unknown(`calls ${site.calleeText}() with a name static mode cannot read`, site);
      site.env.add(name);
      const fallback = b ?? args.keywords.get('default') ?? args.keywords.get('value') ?? NONE;
      return fallback;
    }
    case 'os.getcwd':
      return str(site.cwd);
    case 'os.fspath':
      return a && asText(a) !== null ? str(asText(a)!) : typeError(site, 'expected str or os.PathLike');
    case 'pathlib.Path': {
      const parts = args.positional.map(asText);
      if (parts.some((part) => part === null)) return typeError(site, 'Path() takes str or os.PathLike');
      return pathValue(parts.reduce<string>((acc, part) => pyPath.pathlibJoin(acc, pyPath.pathlibNormalize(part!)), '.'));
    }
    case 'pathlib.Path.cwd':
      return pathValue(site.cwd);
    case 'pathlib.Path.home':
      return pathValue(os.homedir());
    case 'str':
      if (!a) return str('');
      return pyStr(a) === null ? unknown(`calls str() on a value static mode cannot print`, site) : str(pyStr(a)!);
    case 'bool':
      return a ? nullable(truthy(a), site) : bool(false);
    case 'int':
    case 'float':
      return toNumber(callee.name, a, site);
    case 'list':
    case 'tuple': {
      if (!a) return { kind: callee.name, items: [] };
      const items = iterate(a);
      return items ? { kind: callee.name, items: [...items] } : typeError(site, `${typeName(a)} is not iterable`);
    }
    case 'sorted':
    case 'reversed': {
      const items = a && iterate(a);
      if (!items) return unknown(`calls ${callee.name}() on a value static mode cannot iterate`, site);
      if (callee.name === 'reversed') return { kind: 'list', items: [...items].reverse() };
      const texts = items.map(asText);
      if (texts.some((t) => t === null)) return unknown('calls sorted() on values static mode cannot order', site);
      return { kind: 'list', items: [...items].sort((x, y) => (asText(x)! < asText(y)! ? -1 : asText(x)! > asText(y)! ? 1 : 0)) };
    }
    case 'dict': {
      const entries: DictEntries = new Map();
      if (a && a.kind === 'dict') for (const [k, e] of a.entries) entries.set(k, { ...e });
      for (const [name, value] of args.keywords) entries.set(keyOf(str(name)), { key: str(name), value });
      return { kind: 'dict', entries };
    }
    case 'len': {
      if (a && (a.kind === 'str')) return { kind: 'int', value: [...a.value].length };
      const items = a && iterate(a);
      return items && !items.some(isSpread) ? { kind: 'int', value: items.length } : unknown('calls len() on a value static mode cannot measure', site);
    }
    case 'isinstance':
      return unknown('calls isinstance(), which static mode does not evaluate', site);
  }
  if (callee.name.startsWith('os.path.')) return osPathCall(callee.name.slice('os.path.'.length), args.positional, site);
  if (callee.name.startsWith('path.')) return pathMethod(callee.name.slice('path.'.length), callee.self as Extract<PyValue, { kind: 'path' }>, args.positional, site);
  if (callee.name.startsWith('str.')) return strMethod(callee.name.slice(4), (callee.self as { value: string }).value, args, site);
  if (callee.name.startsWith('list.') || callee.name.startsWith('tuple.')) return listMethod(callee.name.split('.')[1], callee.self!, [a, b, c], site);
  if (callee.name.startsWith('dict.')) return dictMethod(callee.name.slice(5), callee.self as Extract<PyValue, { kind: 'dict' }>, args, site);
  return unknown(`calls ${site.calleeText}(), which static mode does not implement`, site);
}

function nullable(value: boolean | null, site: SourceSpot): PyValue {
  return value === null ? unknown('tests the truth of a value static mode cannot read', site) : bool(value);
}

function isSpread(value: PyValue): boolean {
  return value.kind === 'unknown' && value.spread === true;
}

function toNumber(kind: 'int' | 'float', value: PyValue | undefined, site: CallSite): PyValue {
  if (!value) return { kind, value: 0 };
  if (value.kind === 'int' || value.kind === 'float') return { kind, value: kind === 'int' ? Math.trunc(value.value) : value.value };
  if (value.kind === 'bool') return { kind, value: value.value ? 1 : 0 };
  if (value.kind === 'str') {
    const n = Number(value.value.trim());
    if (value.value.trim() === '' || Number.isNaN(n) || (kind === 'int' && !/^\s*[-+]?\d+\s*$/.test(value.value))) {
      return unknown(`raises ValueError (${kind}() of ${pyRepr(value)}); Django would fail here`, site);
    }
    return { kind, value: n };
  }
  return typeError(site, `${kind}() of ${typeName(value)}`);
}

/** The items a value yields when iterated, or null when static mode cannot know them. */
export function iterate(value: PyValue): PyValue[] | null {
  if (isSequence(value)) return value.items;
  if (value.kind === 'str') return [...value.value].map(str);
  if (value.kind === 'dict') return [...value.entries.values()].map((e) => e.key);
  return null;
}

function osPathCall(name: string, args: PyValue[], site: CallSite): PyValue {
  const texts = args.map(asText);
  if (texts.some((t) => t === null) || (texts.length === 0 && name !== 'join')) {
    return typeError(site, `os.path.${name}() takes str or os.PathLike`);
  }
  const [first, ...rest] = texts as string[];
  switch (name) {
    case 'join':
      return first === undefined ? typeError(site, 'join() needs an argument') : str(pyPath.join(first, ...rest));
    case 'dirname':
      return str(pyPath.dirname(first));
    case 'basename':
      return str(pyPath.basename(first));
    case 'abspath':
      return str(pyPath.abspath(first, site.cwd));
    case 'realpath':
      return str(pyPath.realpath(first, site.cwd));
    case 'normpath':
      return str(pyPath.normpath(first));
    case 'expanduser':
      return str(first === '~' || first.startsWith('~/') ? os.homedir() + first.slice(1) : first);
    case 'isabs':
      return bool(first.startsWith('/'));
    case 'exists':
      return bool(pyPath.isDirectory(pyPath.abspath(first, site.cwd)) || pyPath.isFile(pyPath.abspath(first, site.cwd)));
    case 'isdir':
      return bool(pyPath.isDirectory(pyPath.abspath(first, site.cwd)));
    case 'isfile':
      return bool(pyPath.isFile(pyPath.abspath(first, site.cwd)));
  }
  return unknown(`calls os.path.${name}(), which static mode does not implement`, site);
}

function pathMethod(name: string, self: Extract<PyValue, { kind: 'path' }>, args: PyValue[], site: CallSite): PyValue {
  const p = self.value;
  switch (name) {
    case 'resolve':
      return pathValue(pyPath.realpath(p, site.cwd));
    case 'absolute':
      return pathValue(p.startsWith('/') ? p : pyPath.pathlibJoin(pyPath.pathlibNormalize(site.cwd), p));
    case 'joinpath': {
      const parts = args.map(asText);
      if (parts.some((part) => part === null)) return typeError(site, 'joinpath() takes str or os.PathLike');
      return pathValue(parts.reduce<string>((acc, part) => pyPath.pathlibJoin(acc, pyPath.pathlibNormalize(part!)), p));
    }
    case 'as_posix':
      return str(p);
    case 'expanduser':
      return pathValue(p === '~' || p.startsWith('~/') ? os.homedir() + p.slice(1) : p);
    case 'exists':
      return bool(pyPath.isDirectory(pyPath.abspath(p, site.cwd)) || pyPath.isFile(pyPath.abspath(p, site.cwd)));
    case 'is_dir':
      return bool(pyPath.isDirectory(pyPath.abspath(p, site.cwd)));
    case 'is_file':
      return bool(pyPath.isFile(pyPath.abspath(p, site.cwd)));
    case 'with_name': {
      const name2 = args[0] && asText(args[0]);
      return name2 ? pathValue(pyPath.pathlibJoin(pyPath.pathlibParent(p), name2)) : typeError(site, 'with_name() takes a str');
    }
  }
  return unknown(`calls Path.${name}(), which static mode does not implement`, site);
}

function strMethod(name: string, self: string, args: CallArgs, site: CallSite): PyValue {
  const texts = args.positional.map(asText);
  const [a, b] = texts;
  switch (name) {
    case 'replace':
      return a !== null && b !== null && a !== undefined && b !== undefined ? str(self.split(a).join(b)) : typeError(site, 'replace() takes str');
    case 'strip':
    case 'lstrip':
    case 'rstrip': {
      const chars = a ?? null;
      let out = self;
      const strip = (ch: string) => (chars === null ? /\s/.test(ch) : chars.includes(ch));
      if (name !== 'rstrip') while (out && strip(out[0])) out = out.slice(1);
      if (name !== 'lstrip') while (out && strip(out[out.length - 1])) out = out.slice(0, -1);
      return str(out);
    }
    case 'lower':
      return str(self.toLowerCase());
    case 'upper':
      return str(self.toUpperCase());
    case 'removeprefix':
      return a != null && self.startsWith(a) ? str(self.slice(a.length)) : str(self);
    case 'removesuffix':
      return a != null && a !== '' && self.endsWith(a) ? str(self.slice(0, -a.length)) : str(self);
    case 'startswith':
    case 'endswith': {
      const arg = args.positional[0];
      const options = arg && arg.kind === 'tuple' ? arg.items.map(asText) : [a];
      if (options.some((o) => o === null || o === undefined)) return typeError(site, `${name}() takes str`);
      return bool(options.some((o) => (name === 'startswith' ? self.startsWith(o!) : self.endsWith(o!))));
    }
    case 'split': {
      if (a === undefined || a === null) return { kind: 'list', items: self.split(/\s+/).filter(Boolean).map(str) };
      return { kind: 'list', items: self.split(a).map(str) };
    }
    case 'join': {
      const items = args.positional[0] && iterate(args.positional[0]);
      if (!items) return typeError(site, 'join() takes an iterable');
      const parts = items.map((item) => (item.kind === 'str' ? item.value : null));
      if (parts.some((p) => p === null)) return unknown('calls str.join() on items static mode cannot read as str', site);
      return str(parts.join(self));
    }
    case 'format':
      return formatString(self, args, site);
  }
  return unknown(`calls str.${name}(), which static mode does not implement`, site);
}

/** `'...'.format(...)` for plain `{}`, `{0}` and `{name}` fields without format specs. */
function formatString(template: string, args: CallArgs, site: SourceSpot): PyValue {
  let out = '';
  let auto = 0;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      out += ch;
      i++;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      continue;
    }
    const close = template.indexOf('}', i);
    if (close < 0) return unknown('calls str.format() with an unbalanced template', site);
    const field = template.slice(i + 1, close);
    i = close;
    let value: PyValue | undefined;
    if (field === '') value = args.positional[auto++];
    else if (/^\d+$/.test(field)) value = args.positional[Number(field)];
    else if (/^[A-Za-z_]\w*$/.test(field)) value = args.keywords.get(field);
    else return unknown(`calls str.format() with a field {${field}} static mode does not implement`, site);
    const text = value && pyStr(value);
    if (text === null || text === undefined) return unknown('calls str.format() with a value static mode cannot print', site);
    out += text;
  }
  return str(out);
}

function listMethod(name: string, self: PyValue, args: (PyValue | undefined)[], site: CallSite): PyValue {
  if (!isSequence(self)) return unknown(`${name}() on a value static mode cannot read`, site);
  const items = self.items;
  const [a, b] = args;
  switch (name) {
    case 'append':
      if (!a) return typeError(site, 'append() takes exactly one argument');
      items.push(a);
      return NONE;
    case 'extend': {
      if (!a) return typeError(site, 'extend() takes exactly one argument');
      const more = iterate(a);
      if (more) items.push(...more);
      else items.push(isUnknown(a) ? { ...a, spread: true } : typeError(site, `${typeName(a)} is not iterable`));
      return NONE;
    }
    case 'insert': {
      if (!a || !b) return typeError(site, 'insert() takes exactly two arguments');
      if (a.kind !== 'int') {
        items.push({ ...unknown('an item inserted at a position static mode cannot read', site), spread: true });
        return NONE;
      }
      let index = a.value < 0 ? Math.max(0, items.length + a.value) : Math.min(a.value, items.length);
      if (index < 0) index = 0;
      items.splice(index, 0, b);
      return NONE;
    }
    case 'remove': {
      const at = a ? items.findIndex((item) => pyEquals(item, a) === true) : -1;
      if (at < 0) return unknown(`raises ValueError (list.remove(x): x not in list); Django would fail here`, site);
      items.splice(at, 1);
      return NONE;
    }
    case 'pop': {
      if (!items.length) return unknown('raises IndexError (pop from empty list)', site);
      const index = a && a.kind === 'int' ? (a.value < 0 ? items.length + a.value : a.value) : items.length - 1;
      return items.splice(index, 1)[0] ?? unknown('raises IndexError (pop index out of range)', site);
    }
    case 'copy':
      return { kind: 'list', items: [...items] };
    case 'index': {
      const at = a ? items.findIndex((item) => pyEquals(item, a) === true) : -1;
      return at < 0 ? unknown('raises ValueError (x not in list)', site) : { kind: 'int', value: at };
    }
    case 'count':
      return { kind: 'int', value: a ? items.filter((item) => pyEquals(item, a) === true).length : 0 };
  }
  return unknown(`calls list.${name}(), which static mode does not implement`, site);
}

function dictMethod(name: string, self: Extract<PyValue, { kind: 'dict' }>, args: CallArgs, site: CallSite): PyValue {
  const [a, b] = args.positional;
  switch (name) {
    case 'get':
      if (!a) return typeError(site, 'get() takes a key');
      if (isUnknown(a)) return a;
      return self.entries.get(keyOf(a))?.value ?? b ?? NONE;
    case 'setdefault': {
      if (!a) return typeError(site, 'setdefault() takes a key');
      if (isUnknown(a)) return a;
      const existing = self.entries.get(keyOf(a));
      if (existing) return existing.value;
      self.entries.set(keyOf(a), { key: a, value: b ?? NONE });
      return b ?? NONE;
    }
    case 'pop': {
      if (!a) return typeError(site, 'pop() takes a key');
      const existing = self.entries.get(keyOf(a));
      self.entries.delete(keyOf(a));
      return existing?.value ?? b ?? unknown(`raises KeyError (${pyRepr(a)})`, site);
    }
    case 'update': {
      if (a && a.kind === 'dict') for (const [k, e] of a.entries) self.entries.set(k, { ...e });
      else if (a) return unknown('calls dict.update() with a value static mode cannot read', site);
      for (const [key, value] of args.keywords) self.entries.set(keyOf(str(key)), { key: str(key), value });
      return NONE;
    }
    case 'copy':
      return { kind: 'dict', entries: new Map([...self.entries].map(([k, e]) => [k, { ...e }])) };
    case 'keys':
      return { kind: 'list', items: [...self.entries.values()].map((e) => e.key) };
    case 'values':
      return { kind: 'list', items: [...self.entries.values()].map((e) => e.value) };
    case 'items':
      return { kind: 'list', items: [...self.entries.values()].map((e) => ({ kind: 'tuple', items: [e.key, e.value] }) as PyValue) };
  }
  return unknown(`calls dict.${name}(), which static mode does not implement`, site);
}

/** Python binary arithmetic between known values (`+`, `/` on paths, `%` formatting, ...). */
export function binaryArith(op: string, left: PyValue, right: PyValue, site: SourceSpot): PyValue {
  // `['a', 'b'] + env_list()`: keep the known items, mark the rest as an unknown run.
  if (op === '+' && isSequence(left) && isUnknown(right)) return { kind: left.kind, items: [...left.items, { ...right, spread: true }] };
  if (op === '+' && isSequence(right) && isUnknown(left)) return { kind: right.kind, items: [{ ...left, spread: true }, ...right.items] };
  if (isUnknown(left)) return left;
  if (isUnknown(right)) return right;
  const fail = () => unknown(`raises TypeError (unsupported operand type(s) for ${op}: '${typeName(left)}' and '${typeName(right)}'); Django would fail here`, site);
  if (op === '/' && (left.kind === 'path' || right.kind === 'path')) {
    const l = asText(left);
    const r = asText(right);
    if (l === null || r === null) return fail();
    return pathValue(pyPath.pathlibJoin(pyPath.pathlibNormalize(l), pyPath.pathlibNormalize(r)));
  }
  const numeric = (v: PyValue) => (v.kind === 'int' || v.kind === 'float' ? v.value : v.kind === 'bool' ? (v.value ? 1 : 0) : null);
  const ln = numeric(left);
  const rn = numeric(right);
  if (ln !== null && rn !== null) {
    const isFloat = left.kind === 'float' || right.kind === 'float' || op === '/';
    const make = (v: number): PyValue => ({ kind: isFloat ? 'float' : 'int', value: v });
    switch (op) {
      case '+':
        return make(ln + rn);
      case '-':
        return make(ln - rn);
      case '*':
        return make(ln * rn);
      case '/':
        return rn === 0 ? unknown('raises ZeroDivisionError', site) : make(ln / rn);
      case '//':
        return rn === 0 ? unknown('raises ZeroDivisionError', site) : make(Math.floor(ln / rn));
      case '%':
        return rn === 0 ? unknown('raises ZeroDivisionError', site) : make(((ln % rn) + rn) % rn);
      case '**':
        return make(ln ** rn);
    }
    return fail();
  }
  if (op === '+') {
    if (left.kind === 'str' && right.kind === 'str') return str(left.value + right.value);
    if ((left.kind === 'list' && right.kind === 'list') || (left.kind === 'tuple' && right.kind === 'tuple')) {
      return { kind: left.kind, items: [...left.items, ...right.items] };
    }
    if (left.kind === 'dict' || right.kind === 'dict') return fail();
    return fail();
  }
  if (op === '|' && left.kind === 'dict' && right.kind === 'dict') {
    return { kind: 'dict', entries: new Map([...left.entries, ...right.entries]) };
  }
  if (op === '*') {
    const [seq, times] = rn !== null ? [left, rn] : ln !== null ? [right, ln] : [null, null];
    if (seq && times !== null) {
      const count = Math.max(0, Math.trunc(times));
      if (seq.kind === 'str') return str(seq.value.repeat(count));
      if (isSequence(seq)) return { kind: seq.kind, items: Array.from({ length: count }, () => seq.items).flat() };
    }
    return fail();
  }
  if (op === '%' && left.kind === 'str') return percentFormat(left.value, right, site);
  return fail();
}

/** `'%s/static' % BASE_DIR` with `%s`, `%r`, `%d` and `%%`. */
function percentFormat(template: string, args: PyValue, site: SourceSpot): PyValue {
  const values = args.kind === 'tuple' ? args.items : [args];
  let index = 0;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const code = template[++i];
    if (code === '%') {
      out += '%';
      continue;
    }
    const value = values[index++];
    if (!value) return unknown('raises TypeError (not enough arguments for format string)', site);
    if (code === 's') {
      const text = pyStr(value);
      if (text === null) return unknown('formats a value static mode cannot print', site);
      out += text;
    } else if (code === 'r') {
      out += pyRepr(value);
    } else if (code === 'd' && (value.kind === 'int' || value.kind === 'float')) {
      out += String(Math.trunc(value.value));
    } else {
      return unknown(`formats with %${code}, which static mode does not implement`, site);
    }
  }
  return str(out);
}

/** Python comparison operators; null when the answer cannot be known. */
export function compare(op: string, left: PyValue, right: PyValue): boolean | null {
  if (op === '==') return pyEquals(left, right);
  if (op === '!=') {
    const same = pyEquals(left, right);
    return same === null ? null : !same;
  }
  if (op === 'in' || op === 'not in') {
    let found: boolean | null;
    if (right.kind === 'str' && left.kind === 'str') found = right.value.includes(left.value);
    else if (right.kind === 'dict') found = isUnknown(left) ? null : right.entries.has(keyOf(left));
    else if (isSequence(right)) {
      found = false;
      for (const item of right.items) {
        const same = pyEquals(item, left);
        if (same === true) {
          found = true;
          break;
        }
        if (same === null || isSpread(item)) found = null;
      }
    } else found = null;
    return found === null ? null : op === 'in' ? found : !found;
  }
  if (op === 'is' || op === 'is not') {
    if (isUnknown(left) || isUnknown(right) || left.kind === 'external' || right.kind === 'external') return null;
    const singleton = (v: PyValue) => v.kind === 'none' || v.kind === 'bool';
    if (!singleton(left) && !singleton(right)) return null;
    const same = left.kind === right.kind && keyOf(left) === keyOf(right);
    return op === 'is' ? same : !same;
  }
  const l = left.kind === 'int' || left.kind === 'float' ? left.value : left.kind === 'str' ? left.value : null;
  const r = right.kind === 'int' || right.kind === 'float' ? right.value : right.kind === 'str' ? right.value : null;
  if (l === null || r === null || typeof l !== typeof r) return null;
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
  }
  return null;
}
