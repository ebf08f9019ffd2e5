/**
 * A tiny, safe evaluator over @lezer/python expression nodes: literals, names, operators, attribute and
 * subscript access, comprehensions over known lists, and calls to the builtins in `builtins.ts`. Nothing is
 * ever executed; what cannot be computed becomes an unknown value that says why.
 */
import type { SyntaxNode } from '@lezer/common';
import { admit, step } from './budget';
import { callValue, getAttribute } from './builtins';
import type { CallArgs } from './calls';
import { lambdaValue } from './functions';
import { binaryArith, compare } from './operators';
import { decodeEscapes, parseNumberLiteral, parseStringLiteral, splitStringLiteral } from './literals';
import {
  bool,
  DictEntries,
  FALSE,
  isSequence,
  isUnknown,
  iterate,
  keyOf,
  NONE,
  pyRepr,
  pyStr,
  PyValue,
  SourceSpot,
  str,
  TRUE,
  truthy,
  typeName,
  unknown,
  UnknownValue,
} from './values';

/** The statement being evaluated: where it is, how names resolve, which environment variables it read. */
export interface EvalContext extends SourceSpot {
  source: string;
  /** The folder Django runs in (relative paths resolve against it). */
  cwd: string;
  env: Set<string>;
  /** Looks a name up in the enclosing scopes (adds the binding's environment variables to `env`). */
  lookup(name: string, ctx: EvalContext): PyValue;
  /** Comprehension variables, which shadow the scopes. */
  locals?: Map<string, PyValue>;
  /** How deep the expression being evaluated is nested (Python's own parser stops at about 200). */
  depth?: number;
  /** Attribute lookup on classes (along their bases) and on names from modules read on demand. */
  attribute?(object: PyValue, name: string): PyValue | undefined;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', ';']);

/** The children of a node, punctuation included, comments left out. */
export function childNodes(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) if (child.name !== 'Comment') out.push(child);
  return out;
}

/** The children that are not brackets, commas or dots. */
export function meaningfulChildren(node: SyntaxNode): SyntaxNode[] {
  return childNodes(node).filter((child) => !PUNCTUATION.has(child.name));
}

export function textOf(node: SyntaxNode, source: string): string {
  return source.slice(node.from, node.to);
}

export function hasSyntaxError(node: SyntaxNode): boolean {
  let found = false;
  node.toTree().iterate({
    enter: (n) => {
      if (n.type.isError) found = true;
      return !found;
    },
  });
  return found;
}

const MAX_EXPRESSION_DEPTH = 200;

/** Evaluates one expression node. */
export function evaluate(node: SyntaxNode, ctx: EvalContext): PyValue {
  if (node.type.isError) return unknown('has a syntax error', ctx);
  const depth = ctx.depth ?? 0;
  if (depth > MAX_EXPRESSION_DEPTH) return unknown('nests expressions deeper than Python accepts', ctx);
  ctx.depth = depth + 1;
  step();
  try {
    return admit(evaluateNode(node, ctx));
  } finally {
    ctx.depth = depth;
  }
}

function evaluateNode(node: SyntaxNode, ctx: EvalContext): PyValue {
  switch (node.name) {
    case 'Number': {
      const parsed = parseNumberLiteral(textOf(node, ctx.source));
      return parsed ?? unknown(`uses the number ${textOf(node, ctx.source)}, which static mode does not read`, ctx);
    }
    case 'String': {
      const value = parseStringLiteral(textOf(node, ctx.source));
      return value === null ? unknown(`uses ${textOf(node, ctx.source)}, which is not a str literal static mode reads`, ctx) : str(value);
    }
    case 'FormatString':
      return formatString(node, ctx);
    case 'ContinuedString': {
      let out = '';
      for (const part of meaningfulChildren(node)) {
        const value = evaluate(part, ctx);
        if (value.kind !== 'str') return isUnknown(value) ? value : unknown('concatenates literals static mode cannot read', ctx);
        out += value.value;
      }
      return str(out);
    }
    case 'Boolean':
      return textOf(node, ctx.source) === 'True' ? TRUE : FALSE;
    case 'None':
      return NONE;
    case 'VariableName':
      return lookupName(textOf(node, ctx.source), ctx);
    case 'ParenthesizedExpression': {
      const inner = meaningfulChildren(node);
      return inner.length === 1 ? evaluate(inner[0], ctx) : unknown('uses a parenthesised form static mode does not read', ctx);
    }
    case 'TupleExpression':
      return { kind: 'tuple', items: evaluateItems(childNodes(node), ctx) };
    case 'ArrayExpression':
      return { kind: 'list', items: evaluateItems(childNodes(node), ctx) };
    case 'DictionaryExpression':
      return dictionary(node, ctx);
    case 'ArrayComprehensionExpression':
      return comprehension(node, ctx);
    case 'UnaryExpression':
      return unary(node, ctx);
    case 'BinaryExpression':
      return binary(node, ctx);
    case 'ConditionalExpression': {
      const [whenTrue, condition, whenFalse] = childNodes(node).filter((c) => c.name !== 'if' && c.name !== 'else');
      const test = truthy(evaluate(condition, ctx));
      if (test === null) return unknown(`depends on ${textOf(condition, ctx.source)}, which static mode cannot evaluate`, ctx);
      return evaluate(test ? whenTrue : whenFalse, ctx);
    }
    case 'MemberExpression':
      return member(node, ctx);
    case 'CallExpression':
      return call(node, ctx);
    case 'LambdaExpression':
      return lambdaValue(node, ctx);
    default:
      return unknown(`uses ${describe(node, ctx)}, which static mode does not evaluate`, ctx);
  }
}

function describe(node: SyntaxNode, ctx: EvalContext): string {
  const text = textOf(node, ctx.source).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function lookupName(name: string, ctx: EvalContext): PyValue {
  const local = ctx.locals?.get(name);
  return local ?? ctx.lookup(name, ctx);
}

/** Items of a list/tuple display, expanding `*iterable`. */
function evaluateItems(children: SyntaxNode[], ctx: EvalContext): PyValue[] {
  const items: PyValue[] = [];
  let star = false;
  for (const child of children) {
    if (PUNCTUATION.has(child.name)) continue;
    if (child.name === '*') {
      star = true;
      continue;
    }
    const value = evaluate(child, ctx);
    if (star) {
      const more = iterate(value);
      if (more) items.push(...more);
      else items.push(isUnknown(value) ? { ...value, spread: true } : unknown(`unpacks a ${typeName(value)}, which is not iterable`, ctx));
      star = false;
    } else {
      items.push(value);
    }
  }
  return items;
}

function dictionary(node: SyntaxNode, ctx: EvalContext): PyValue {
  const entries: DictEntries = new Map();
  const children = childNodes(node).filter((c) => c.name !== '{' && c.name !== '}' && c.name !== ',');
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (child.name === '**') {
      const spread = evaluate(children[++i], ctx);
      if (spread.kind !== 'dict') return isUnknown(spread) ? spread : unknown(`unpacks a ${typeName(spread)} into a dict`, ctx);
      for (const [k, e] of spread.entries) entries.set(k, { ...e });
      continue;
    }
    if (children[i + 1]?.name !== ':') return unknown('uses a dict form static mode does not read', ctx);
    const key = evaluate(child, ctx);
    const value = evaluate(children[i + 2], ctx);
    i += 2;
    if (isUnknown(key)) return key;
    entries.set(keyOf(key), { key, value });
  }
  return { kind: 'dict', entries };
}

/** `[expr for target in iterable if cond]` with one `for` over a known sequence. */
function comprehension(node: SyntaxNode, ctx: EvalContext): PyValue {
  const parts = childNodes(node).filter((c) => c.name !== '[' && c.name !== ']');
  const forCount = parts.filter((c) => c.name === 'for').length;
  const inAt = parts.findIndex((c) => c.name === 'in');
  if (forCount !== 1 || parts[1]?.name !== 'for' || inAt < 3) {
    return unknown('uses a list comprehension static mode does not evaluate', ctx);
  }
  const element = parts[0];
  const targets = parts.slice(2, inAt);
  const iterableNode = parts[inAt + 1];
  const rest = parts.slice(inAt + 2);
  const iterable = evaluate(iterableNode, ctx);
  const items = iterate(iterable);
  if (!items || items.some((item) => isUnknown(item) && item.spread)) {
    return isUnknown(iterable) ? iterable : unknown(`iterates over ${describe(iterableNode, ctx)}, which static mode cannot read`, ctx);
  }
  const conditions = rest.filter((c) => c.name !== 'if');
  const out: PyValue[] = [];
  for (const item of items) {
    const locals = new Map(ctx.locals ?? []);
    const bound = bindTargets(targets, item, locals, ctx);
    if (bound) return bound;
    const inner: EvalContext = { ...ctx, locals };
    let keep: boolean | null = true;
    for (const condition of conditions) {
      keep = truthy(evaluate(condition, inner));
      if (keep !== true) break;
    }
    if (keep === null) return unknown(`filters with ${describe(conditions[0], ctx)}, which static mode cannot evaluate`, ctx);
    if (keep) out.push(evaluate(element, inner));
  }
  return { kind: 'list', items: out };
}

/** Binds `a` or `a, b` (the nodes between `for` and `in`, commas included). */
export function bindTargets(targets: SyntaxNode[], value: PyValue, into: Map<string, PyValue>, ctx: EvalContext): UnknownValue | null {
  const names = targets.filter((c) => c.name !== ',');
  if (names.length === 1 && names.length === targets.length) return bindTarget(names[0], value, into, ctx);
  return unpackInto(names, value, into, ctx);
}

/** Unpacks a sequence value into several targets, as `a, b = value` does. */
function unpackInto(names: SyntaxNode[], value: PyValue, into: Map<string, PyValue>, ctx: EvalContext): UnknownValue | null {
  const items = isSequence(value) ? value.items : null;
  if (!items || items.length !== names.length) return unknown(`unpacks ${pyRepr(value)} into ${names.length} names`, ctx);
  for (let i = 0; i < names.length; i++) {
    const failed = bindTarget(names[i], items[i], into, ctx);
    if (failed) return failed;
  }
  return null;
}

/** Binds a comprehension or for-loop target; returns an unknown value when the target cannot be bound. */
export function bindTarget(target: SyntaxNode, value: PyValue, into: Map<string, PyValue>, ctx: EvalContext): UnknownValue | null {
  if (target.name === 'VariableName') {
    into.set(textOf(target, ctx.source), value);
    return null;
  }
  if (target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression') {
    const names = meaningfulChildren(target);
    return unpackInto(names, value, into, ctx);
  }
  return unknown(`binds ${describe(target, ctx)}, which static mode does not support`, ctx);
}

function unary(node: SyntaxNode, ctx: EvalContext): PyValue {
  const [operator, operand] = childNodes(node);
  const op = textOf(operator, ctx.source);
  if (op === 'not') return logicalNot(operand, ctx);
  const value = evaluate(operand, ctx);
  if (isUnknown(value)) return value;
  if (value.kind === 'int' || value.kind === 'float') {
    if (op === '-') return { kind: value.kind, value: -value.value };
    if (op === '+') return value;
  }
  return unknown(`applies ${op} to a ${typeName(value)}`, ctx);
}

/**
 * `not` binds tighter than `and`/`or` in Python, but the parser nests `not a and b` as `not (a and b)`;
 * re-associate so the answer is Python's.
 */
function logicalNot(operand: SyntaxNode, ctx: EvalContext): PyValue {
  if (operand.name === 'BinaryExpression') {
    const [left, operator, right] = childNodes(operand);
    const op = operator && textOf(operator, ctx.source);
    if (op === 'and' || op === 'or') {
      return logical(
        op,
        () => logicalNot(left, ctx),
        () => evaluate(right, ctx),
        ctx,
      );
    }
  }
  const test = truthy(evaluate(operand, ctx));
  return test === null ? unknown(`depends on ${describe(operand, ctx)}, which static mode cannot evaluate`, ctx) : bool(!test);
}

function logical(op: 'and' | 'or', left: () => PyValue, right: () => PyValue, ctx: EvalContext): PyValue {
  const l = left();
  const test = truthy(l);
  if (test === null) return isUnknown(l) ? l : unknown(`uses '${op}' on a value static mode cannot test`, ctx);
  if (op === 'and') return test ? right() : l;
  return test ? l : right();
}

function binary(node: SyntaxNode, ctx: EvalContext): PyValue {
  const children = childNodes(node);
  const left = children[0];
  const right = children[children.length - 1];
  const op = children
    .slice(1, -1)
    .map((c) => textOf(c, ctx.source))
    .join(' ');
  if (op === 'and' || op === 'or')
    return logical(
      op,
      () => evaluate(left, ctx),
      () => evaluate(right, ctx),
      ctx,
    );
  if (['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is', 'is not'].includes(op)) {
    // Chained comparisons (`a < b < c`) arrive nested: the left side is itself a comparison.
    const leftNode = left.name === 'BinaryExpression' && isComparison(left, ctx) ? childNodes(left).slice(-1)[0] : null;
    if (leftNode) {
      const first = evaluate(left, ctx);
      const firstTest = truthy(first);
      if (firstTest === false) return FALSE;
      if (firstTest === null) return first;
    }
    const l = evaluate(leftNode ?? left, ctx);
    const r = evaluate(right, ctx);
    if (isUnknown(l)) return l;
    if (isUnknown(r)) return r;
    const answer = compare(op, l, r);
    return answer === null ? unknown(`compares values static mode cannot compare (${describe(node, ctx)})`, ctx) : bool(answer);
  }
  return binaryArith(op, evaluate(left, ctx), evaluate(right, ctx), ctx);
}

function isComparison(node: SyntaxNode, ctx: EvalContext): boolean {
  const children = childNodes(node);
  const op = children
    .slice(1, -1)
    .map((c) => textOf(c, ctx.source))
    .join(' ');
  return ['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is', 'is not'].includes(op);
}

function member(node: SyntaxNode, ctx: EvalContext): PyValue {
  const children = childNodes(node);
  const object = evaluate(children[0], ctx);
  if (children[1]?.name === '.') {
    const property = children[2];
    if (!property) return unknown('has a syntax error', ctx);
    const name = textOf(property, ctx.source);
    if (object.kind === 'class' || object.kind === 'external') {
      const found = ctx.attribute?.(object, name);
      if (found) return found;
    }
    return getAttribute(object, name, ctx);
  }
  return subscript(object, children.slice(2, -1), ctx, describe(children[0], ctx));
}

function subscript(object: PyValue, inside: SyntaxNode[], ctx: EvalContext, objectText: string): PyValue {
  if (isUnknown(object)) return object;
  if (object.kind === 'module' && object.name === 'os.environ') {
    const key = inside.length === 1 ? evaluate(inside[0], ctx) : null;
    const name = key && key.kind === 'str' ? key.value : '?';
    return unknown(`reads environment variable ${name} without a default, which static mode does not know`, ctx);
  }
  if (inside.some((c) => c.name === ':')) return slice(object, inside, ctx);
  const indexNodes = inside.filter((c) => c.name !== ',');
  const index =
    indexNodes.length === 1 ? evaluate(indexNodes[0], ctx) : { kind: 'tuple' as const, items: indexNodes.map((c) => evaluate(c, ctx)) };
  if (isUnknown(index)) return index;
  if (object.kind === 'dict') {
    const entry = object.entries.get(keyOf(index));
    return entry ? entry.value : unknown(`raises KeyError (${objectText}[${pyRepr(index)}]); Django would fail here`, ctx);
  }
  if ((isSequence(object) || object.kind === 'str') && index.kind === 'int') {
    const items = object.kind === 'str' ? [...object.value].map(str) : object.items;
    if (items.some((item) => isUnknown(item) && item.spread))
      return unknown(`indexes ${objectText}, whose length static mode does not know`, ctx);
    const at = index.value < 0 ? items.length + index.value : index.value;
    return items[at] ?? unknown(`raises IndexError (${objectText}[${index.value}]); Django would fail here`, ctx);
  }
  return unknown(`indexes a ${typeName(object)} with ${pyRepr(index)}, which static mode does not implement`, ctx);
}

function slice(object: PyValue, inside: SyntaxNode[], ctx: EvalContext): PyValue {
  const bounds: (number | null)[] = [null, null, null];
  let slot = 0;
  for (const child of inside) {
    if (child.name === ':') {
      slot++;
      continue;
    }
    const value = evaluate(child, ctx);
    if (value.kind === 'none') continue;
    if (value.kind !== 'int' || slot > 2) return unknown('slices with bounds static mode cannot read', ctx);
    bounds[slot] = value.value;
  }
  const items = object.kind === 'str' ? [...object.value].map(str) : isSequence(object) ? object.items : null;
  if (!items || bounds[2] !== null) return unknown('uses a slice static mode does not implement', ctx);
  const norm = (n: number | null, fallback: number) =>
    n === null ? fallback : n < 0 ? Math.max(0, items.length + n) : Math.min(n, items.length);
  const picked = items.slice(norm(bounds[0], 0), norm(bounds[1], items.length));
  if (object.kind === 'str') return str(picked.map((p) => (p as { value: string }).value).join(''));
  return { kind: (object as { kind: 'list' | 'tuple' }).kind, items: picked };
}

function call(node: SyntaxNode, ctx: EvalContext): PyValue {
  const [calleeNode, argList] = childNodes(node);
  const callee = evaluate(calleeNode, ctx);
  const calleeText = describe(calleeNode, ctx);
  if (callee.kind === 'function' && callee.invoke) {
    const args = argList ? parseArgs(argList, ctx) : { positional: [], keywords: new Map<string, PyValue>() };
    return 'kind' in args ? args : callee.invoke(args.positional, args.keywords, ctx.env);
  }
  if (callee.kind === 'function' || callee.kind === 'class' || callee.kind === 'external') {
    return unknown(`calls ${calleeText}(), which static mode does not execute`, ctx);
  }
  const args: CallArgs | UnknownValue = argList ? parseArgs(argList, ctx) : { positional: [], keywords: new Map() };
  if ('kind' in args) return args;
  return callValue(callee, args, { file: ctx.file, line: ctx.line, cwd: ctx.cwd, env: ctx.env, calleeText });
}

/** Evaluates call arguments, expanding `*args` and `**kwargs` when known. */
export function parseArgs(argList: SyntaxNode, ctx: EvalContext): CallArgs | UnknownValue {
  const positional: PyValue[] = [];
  const keywords = new Map<string, PyValue>();
  const children = childNodes(argList).filter((c) => !['(', ')', ','].includes(c.name));
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (child.name === '*' || child.name === '**') {
      const value = evaluate(children[++i], ctx);
      if (child.name === '*') {
        const items = iterate(value);
        if (!items) return isUnknown(value) ? value : unknown(`unpacks a ${typeName(value)} as arguments`, ctx);
        positional.push(...items);
      } else {
        if (value.kind !== 'dict') return isUnknown(value) ? value : unknown(`unpacks a ${typeName(value)} as keyword arguments`, ctx);
        for (const entry of value.entries.values()) if (entry.key.kind === 'str') keywords.set(entry.key.value, entry.value);
      }
    } else if (child.name === 'VariableName' && children[i + 1]?.name === 'AssignOp') {
      keywords.set(textOf(child, ctx.source), evaluate(children[i + 2], ctx));
      i += 2;
    } else if (child.name === 'for' || child.name === 'ComprehensionExpression') {
      return unknown('passes a generator expression, which static mode does not evaluate', ctx);
    } else {
      positional.push(evaluate(child, ctx));
    }
  }
  return { positional, keywords };
}

/** f-strings with plain `{expr}`, `!s`/`!r` conversions and no format spec. */
function formatString(node: SyntaxNode, ctx: EvalContext): PyValue {
  const text = textOf(node, ctx.source);
  const literal = splitStringLiteral(text);
  if (!literal) return unknown('has a malformed f-string', ctx);
  const raw = literal.prefix.includes('r');
  const bodyStart = node.from + literal.prefix.length + literal.quoteLength;
  const bodyEnd = node.to - literal.quoteLength;
  let out = '';
  let position = bodyStart;
  const addLiteral = (from: number, to: number) => {
    const piece = ctx.source.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    out += raw ? piece : decodeEscapes(piece);
  };
  for (const replacement of childNodes(node)) {
    if (replacement.name !== 'FormatReplacement') continue;
    addLiteral(position, replacement.from);
    position = replacement.to;
    const parts = childNodes(replacement).filter((c) => c.name !== '{' && c.name !== '}');
    const [expression, ...modifiers] = parts;
    if (!expression) return unknown('has an empty f-string replacement', ctx);
    let conversion = 's';
    for (const modifier of modifiers) {
      if (modifier.name === 'FormatConversion') conversion = textOf(modifier, ctx.source).slice(1);
      else if (modifier.name === 'FormatSpec' && textOf(modifier, ctx.source) !== ':') {
        return unknown('uses an f-string format spec, which static mode does not implement', ctx);
      } else if (modifier.name !== 'FormatSpec') {
        return unknown('uses an f-string form static mode does not implement', ctx);
      }
    }
    const value = evaluate(expression, ctx);
    if (isUnknown(value)) return value;
    const printed = conversion === 'r' ? pyRepr(value) : pyStr(value);
    if (printed === null) return unknown('formats a value static mode cannot print', ctx);
    out += printed;
  }
  addLiteral(position, bodyEnd);
  return str(out);
}
