/**
 * The Python values static mode can represent, and the few Python semantics (truthiness, equality, str())
 * the evaluator needs. Anything else is an `unknown` value that carries why it could not be read.
 */
import { step } from './budget';

/** Where a value or binding was written (absolute file, 0-based line). */
export interface SourceSpot {
  file: string;
  line: number;
}

/** A dict's entries keyed by `keyOf(key)` so Python's equality decides which keys collide. */
export type DictEntries = Map<string, { key: PyValue; value: PyValue }>;

/** A class statement's result: its own attributes and bases (inheritance is resolved on lookup). */
export interface ClassValue extends SourceSpot {
  kind: 'class';
  name: string;
  /** Dotted module that defines the class. */
  module: string;
  bases: PyValue[];
  attrs: Map<string, PyValue>;
}

export type PyValue =
  | { kind: 'none' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'str'; value: string }
  /** A pathlib.Path; `value` is already normalised the way pathlib prints it. */
  | { kind: 'path'; value: string }
  | { kind: 'list'; items: PyValue[] }
  | { kind: 'tuple'; items: PyValue[] }
  | { kind: 'dict'; entries: DictEntries }
  /** A callable static mode implements: `os.path.join`, `str`, or a bound method such as `list.append`. */
  | { kind: 'builtin'; name: string; self?: PyValue }
  /** A module static mode knows the meaning of (`os`, `os.path`, `pathlib`, `os.environ`), or a project module. */
  | { kind: 'module'; name: string; namespace?: Map<string, Binding> }
  | ClassValue
  /**
   * A `def` or a lambda. `invoke` is set when its body is small enough to evaluate (a lambda, or a def of
   * plain assignments ending in `return`); other functions are never called.
   */
  | ({ kind: 'function'; name: string; invoke?: FunctionBody } & SourceSpot)
  /** A name imported from a module static mode did not read (third-party, Django itself). */
  | { kind: 'external'; module: string; name: string | null }
  /**
   * A value static mode could not compute. `spread` marks an unknown run of list items (`.extend(f())`),
   * so the known items around it are kept.
   */
  | ({ kind: 'unknown'; reason: string; spread?: boolean } & SourceSpot);

export type UnknownValue = Extract<PyValue, { kind: 'unknown' }>;

/** Evaluates a function's body for the given arguments; `env` collects the environment variables it read. */
export type FunctionBody = (positional: PyValue[], keywords: Map<string, PyValue>, env: Set<string>) => PyValue;

/** A name in a module namespace. */
export interface Binding extends SourceSpot {
  value: PyValue;
  /** Environment variables whose defaults fed this value (static mode never knows their real values). */
  env: Set<string>;
}

export const NONE: PyValue = { kind: 'none' };
export const TRUE: PyValue = { kind: 'bool', value: true };
export const FALSE: PyValue = { kind: 'bool', value: false };

export function str(value: string): PyValue {
  return { kind: 'str', value };
}

export function bool(value: boolean): PyValue {
  return value ? TRUE : FALSE;
}

export function unknown(reason: string, spot: SourceSpot): UnknownValue {
  return { kind: 'unknown', reason, file: spot.file, line: spot.line };
}

export function isUnknown(value: PyValue): value is UnknownValue {
  return value.kind === 'unknown';
}

export function isSequence(value: PyValue): value is Extract<PyValue, { kind: 'list' | 'tuple' }> {
  return value.kind === 'list' || value.kind === 'tuple';
}

/** Python's truthiness, or null when it cannot be known. */
export function truthy(value: PyValue): boolean | null {
  switch (value.kind) {
    case 'none':
      return false;
    case 'bool':
      return value.value;
    case 'int':
    case 'float':
      return value.value !== 0;
    case 'str':
      return value.value !== '';
    case 'path':
      return true;
    case 'list':
    case 'tuple':
      if (value.items.some((item) => item.kind === 'unknown' && item.spread)) return null;
      return value.items.length > 0;
    case 'dict':
      return value.entries.size > 0;
    case 'unknown':
    case 'external':
      return null;
    default:
      return true;
  }
}

/** A key that is equal for values Python considers equal (`1 == True`, `Path('a') != 'a'`). */
export function keyOf(value: PyValue): string {
  step();
  switch (value.kind) {
    case 'none':
      return 'None';
    case 'bool':
      return `n:${value.value ? 1 : 0}`;
    case 'int':
    case 'float':
      return `n:${value.value}`;
    case 'str':
      return `s:${value.value}`;
    case 'path':
      return `p:${value.value}`;
    case 'list':
    case 'tuple':
      return `${value.kind}(${value.items.map(keyOf).join(',')})`;
    case 'unknown':
      return `?${value.file}:${value.line}:${value.reason}`;
    default:
      return `${value.kind}:${JSON.stringify(value, (_k, v) => (v instanceof Map ? [...v.keys()] : v))}`;
  }
}

/** Python `==`, or null when either side is unknown. */
export function pyEquals(a: PyValue, b: PyValue): boolean | null {
  step();
  if (a.kind === 'unknown' || b.kind === 'unknown' || a.kind === 'external' || b.kind === 'external') return null;
  if ((a.kind === 'list' && b.kind === 'list') || (a.kind === 'tuple' && b.kind === 'tuple')) {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const same = pyEquals(a.items[i], b.items[i]);
      if (same !== true) return same;
    }
    return true;
  }
  if (a.kind === 'dict' && b.kind === 'dict') {
    if (a.entries.size !== b.entries.size) return false;
    for (const [key, entry] of a.entries) {
      const other = b.entries.get(key);
      if (!other) return false;
      const same = pyEquals(entry.value, other.value);
      if (same !== true) return same;
    }
    return true;
  }
  return keyOf(a) === keyOf(b);
}

/** Python `repr()` for the values that have a literal form. */
export function pyRepr(value: PyValue): string {
  step();
  switch (value.kind) {
    case 'none':
      return 'None';
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'int':
      return String(value.value);
    case 'float':
      return Number.isInteger(value.value) ? `${value.value}.0` : String(value.value);
    case 'str':
      return reprString(value.value);
    case 'path':
      return `PosixPath(${reprString(value.value)})`;
    case 'list':
      return `[${value.items.map(pyRepr).join(', ')}]`;
    case 'tuple':
      return value.items.length === 1 ? `(${pyRepr(value.items[0])},)` : `(${value.items.map(pyRepr).join(', ')})`;
    case 'dict':
      return `{${[...value.entries.values()].map((e) => `${pyRepr(e.key)}: ${pyRepr(e.value)}`).join(', ')}}`;
    case 'class':
      return `<class '${value.module}.${value.name}'>`;
    case 'function':
      return `<function ${value.name}>`;
    case 'module':
      return `<module '${value.name}'>`;
    case 'builtin':
      return `<built-in ${value.name}>`;
    case 'external':
      return value.name ? `${value.module}.${value.name}` : value.module;
    case 'unknown':
      return '<unknown>';
  }
}

/** Python `str()`, or null for values whose text static mode cannot know. */
export function pyStr(value: PyValue): string | null {
  if (value.kind === 'str' || value.kind === 'path') return value.value;
  if (value.kind === 'unknown' || value.kind === 'external') return null;
  return pyRepr(value);
}

/** Python's repr of a str: single quotes unless the text holds a single quote and no double quote. */
export function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** A short Python type name for messages. */
export function typeName(value: PyValue): string {
  switch (value.kind) {
    case 'none':
      return 'NoneType';
    case 'path':
      return 'PosixPath';
    case 'builtin':
      return 'builtin_function_or_method';
    case 'unknown':
      return 'unknown';
    case 'external':
      return 'object';
    default:
      return value.kind;
  }
}

/** The text of a str or Path (what `os.fspath` accepts), or null. */
export function asText(value: PyValue): string | null {
  return value.kind === 'str' || value.kind === 'path' ? value.value : null;
}

/** A TypeError Python would raise: Django would fail to load settings there. */
export function typeError(site: SourceSpot, message: string): PyValue {
  return unknown(`raises TypeError (${message}); Django would fail here`, site);
}

/** True for an unknown run of list items. */
export function isSpread(value: PyValue): boolean {
  return value.kind === 'unknown' && value.spread === true;
}

/** The items a value yields when iterated, or null when static mode cannot know them. */
export function iterate(value: PyValue): PyValue[] | null {
  if (isSequence(value)) return value.items;
  if (value.kind === 'str') return [...value.value].map(str);
  if (value.kind === 'dict') return [...value.entries.values()].map((e) => e.key);
  return null;
}
