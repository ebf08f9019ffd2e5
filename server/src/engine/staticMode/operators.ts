/** Python operators between known values: arithmetic, `/` on paths, `%` formatting and comparisons. */
import { ensureFits, sizeOf } from './budget';
import * as pyPath from './pyPath';
import {
  asText,
  isSequence,
  isSpread,
  isUnknown,
  keyOf,
  pyEquals,
  pyRepr,
  pyStr,
  PyValue,
  SourceSpot,
  str,
  typeName,
  unknown,
} from './values';

/** Python binary arithmetic between known values (`+`, `/` on paths, `%` formatting, ...). */
export function binaryArith(op: string, left: PyValue, right: PyValue, site: SourceSpot): PyValue {
  // `['a', 'b'] + env_list()`: keep the known items, mark the rest as an unknown run.
  if (op === '+' && isSequence(left) && isUnknown(right)) return { kind: left.kind, items: [...left.items, { ...right, spread: true }] };
  if (op === '+' && isSequence(right) && isUnknown(left)) return { kind: right.kind, items: [{ ...left, spread: true }, ...right.items] };
  if (isUnknown(left)) return left;
  if (isUnknown(right)) return right;
  const fail = () =>
    unknown(
      `raises TypeError (unsupported operand type(s) for ${op}: '${typeName(left)}' and '${typeName(right)}'); Django would fail here`,
      site,
    );
  if (op === '/' && (left.kind === 'path' || right.kind === 'path')) {
    const l = asText(left);
    const r = asText(right);
    if (l === null || r === null) return fail();
    return { kind: 'path', value: pyPath.pathlibJoin(pyPath.pathlibNormalize(l), pyPath.pathlibNormalize(r)) };
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
    ensureFits(sizeOf(left) + sizeOf(right));
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
      // Sizes count one for the value itself (budget.ts): the repeated part is the rest.
      if (seq.kind === 'str' || isSequence(seq)) ensureFits(1 + count * (sizeOf(seq) - 1));
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
