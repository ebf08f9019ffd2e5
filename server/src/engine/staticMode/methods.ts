/** Methods of str, list and dict that settings files call (`.replace`, `.append`, `.update`, ...). */
import { ensureFits, grow } from './budget';
import type { CallArgs, CallSite } from './calls';
import {
  asText,
  bool,
  isSequence,
  isUnknown,
  iterate,
  keyOf,
  NONE,
  pyEquals,
  pyRepr,
  pyStr,
  PyValue,
  SourceSpot,
  str,
  typeError,
  typeName,
  unknown,
} from './values';

export function strMethod(name: string, self: string, args: CallArgs, site: CallSite): PyValue {
  const texts = args.positional.map(asText);
  const [a, b] = texts;
  switch (name) {
    case 'replace':
      // The result's length is known before it is built: `'a' * 10**6` with each '' replaced by a long text.
      if (a != null && b != null) ensureFits(self.length + (a === '' ? self.length + 1 : self.length / a.length) * b.length);
      return a !== null && b !== null && a !== undefined && b !== undefined
        ? str(self.split(a).join(b))
        : typeError(site, 'replace() takes str');
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
      ensureFits(parts.reduce((total, part) => total + part!.length, 0) + self.length * parts.length);
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

export function listMethod(name: string, self: PyValue, args: (PyValue | undefined)[], site: CallSite): PyValue {
  if (!isSequence(self)) return unknown(`${name}() on a value static mode cannot read`, site);
  const items = self.items;
  const [a, b] = args;
  switch (name) {
    case 'append':
      if (!a) return typeError(site, 'append() takes exactly one argument');
      grow(self, [a]);
      items.push(a);
      return NONE;
    case 'extend': {
      if (!a) return typeError(site, 'extend() takes exactly one argument');
      const more = iterate(a);
      if (more) grow(self, more);
      if (more) for (const item of more === items ? [...more] : more) items.push(item);
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
      grow(self, [b]);
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

export function dictMethod(name: string, self: Extract<PyValue, { kind: 'dict' }>, args: CallArgs, site: CallSite): PyValue {
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
      if (a && a.kind === 'dict') grow(self, [a]);
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
