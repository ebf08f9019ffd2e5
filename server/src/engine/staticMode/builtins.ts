/**
 * The small part of Python's standard library settings files use to build paths and lists: `os.path`,
 * `pathlib.Path`, `os.environ`/`os.getenv` (answered with their defaults), `str`/`list`/`dict` methods
 * and the operators between them. Everything else is an unknown value with a reason.
 */
import * as os from 'node:os';
import { step } from './budget';
import type { CallArgs, CallSite } from './calls';
import { ENV_LIBRARY_MODULES, envLibraryAttribute, envLibraryCall } from './envLibraries';
import { SPLIT_SETTINGS_MODULES, splitSettingsCall } from './splitSettings';
import { dictMethod, listMethod, strMethod } from './methods';
import * as pyPath from './pyPath';
import {
  asText,
  bool,
  DictEntries,
  isSpread,
  isUnknown,
  iterate,
  keyOf,
  NONE,
  pyRepr,
  pyStr,
  PyValue,
  SourceSpot,
  str,
  truthy,
  typeError,
  typeName,
  unknown,
} from './values';

/** The path constants `os` and `os.path` both have (posixpath's). */
const PATH_CONSTANTS: Record<string, PyValue> = { sep: str('/'), curdir: str('.'), pardir: str('..') };

/** Names a settings module can import from the standard library with a meaning static mode knows. */
export const KNOWN_MODULE_MEMBERS: Record<string, Record<string, PyValue>> = {
  os: {
    path: { kind: 'module', name: 'os.path' },
    environ: { kind: 'module', name: 'os.environ' },
    getenv: { kind: 'builtin', name: 'os.getenv' },
    getcwd: { kind: 'builtin', name: 'os.getcwd' },
    fspath: { kind: 'builtin', name: 'os.fspath' },
    pathsep: str(':'),
    ...PATH_CONSTANTS,
  },
  'os.path': {
    ...Object.fromEntries(
      ['join', 'dirname', 'abspath', 'realpath', 'normpath', 'basename', 'expanduser', 'exists', 'isdir', 'isfile', 'isabs'].map((name) => [
        name,
        { kind: 'builtin', name: `os.path.${name}` } as PyValue,
      ]),
    ),
    ...PATH_CONSTANTS,
  },
  pathlib: Object.fromEntries(
    ['Path', 'PurePath', 'PosixPath', 'PurePosixPath'].map((name) => [name, { kind: 'builtin', name: 'pathlib.Path' } as PyValue]),
  ),
  ...ENV_LIBRARY_MODULES,
  ...SPLIT_SETTINGS_MODULES,
};

export const PYTHON_BUILTINS: Record<string, PyValue> = Object.fromEntries(
  ['str', 'int', 'float', 'bool', 'list', 'tuple', 'dict', 'len', 'sorted', 'reversed', 'isinstance'].map((name) => [
    name,
    { kind: 'builtin', name } as PyValue,
  ]),
);

function pathValue(value: string): PyValue {
  return { kind: 'path', value: pyPath.pathlibNormalize(value) };
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
  str: [
    'replace',
    'strip',
    'lstrip',
    'rstrip',
    'lower',
    'upper',
    'startswith',
    'endswith',
    'split',
    'join',
    'format',
    'removeprefix',
    'removesuffix',
  ],
  list: ['append', 'extend', 'insert', 'remove', 'copy', 'index', 'pop', 'count'],
  tuple: ['index', 'count'],
  dict: ['get', 'update', 'setdefault', 'copy', 'keys', 'values', 'items', 'pop'],
};

const PATH_METHODS = [
  'resolve',
  'absolute',
  'joinpath',
  'as_posix',
  'expanduser',
  'exists',
  'is_dir',
  'is_file',
  'with_name',
  'with_suffix',
];

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
  if (callee.name.startsWith('split_settings.')) return splitSettingsCall(callee, args, site);
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
      return { kind: 'list', items: [...items].sort((x, y) => (step(), asText(x)! < asText(y)! ? -1 : asText(x)! > asText(y)! ? 1 : 0)) };
    }
    case 'dict': {
      const entries: DictEntries = new Map();
      if (a && a.kind === 'dict') for (const [k, e] of a.entries) entries.set(k, { ...e });
      for (const [name, value] of args.keywords) entries.set(keyOf(str(name)), { key: str(name), value });
      return { kind: 'dict', entries };
    }
    case 'len': {
      if (a && a.kind === 'str') return { kind: 'int', value: [...a.value].length };
      const items = a && iterate(a);
      return items && !items.some(isSpread)
        ? { kind: 'int', value: items.length }
        : unknown('calls len() on a value static mode cannot measure', site);
    }
    case 'isinstance':
      return unknown('calls isinstance(), which static mode does not evaluate', site);
  }
  if (callee.name.startsWith('os.path.')) return osPathCall(callee.name.slice('os.path.'.length), args.positional, site);
  if (callee.name.startsWith('path.'))
    return pathMethod(callee.name.slice('path.'.length), callee.self as Extract<PyValue, { kind: 'path' }>, args.positional, site);
  if (callee.name.startsWith('str.')) return strMethod(callee.name.slice(4), (callee.self as { value: string }).value, args, site);
  if (callee.name.startsWith('list.') || callee.name.startsWith('tuple.'))
    return listMethod(callee.name.split('.')[1], callee.self!, [a, b, c], site);
  if (callee.name.startsWith('dict.'))
    return dictMethod(callee.name.slice(5), callee.self as Extract<PyValue, { kind: 'dict' }>, args, site);
  return unknown(`calls ${site.calleeText}(), which static mode does not implement`, site);
}

function nullable(value: boolean | null, site: SourceSpot): PyValue {
  return value === null ? unknown('tests the truth of a value static mode cannot read', site) : bool(value);
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
