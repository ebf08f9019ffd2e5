/**
 * Lambdas and small module-level `def` helpers, evaluated when called: real settings build paths with
 * `location = lambda x: os.path.join(BASE_DIR, x)` or `def theme_dir(name): return BASE_DIR / 'themes' / name`.
 * A def is evaluated only when its body is a docstring, plain `name = expression` assignments and a final
 * `return`: anything else (loops, branches, side effects) stays uncalled, as before. Names other than the
 * parameters and the body's own assignments are looked up when the function is called, as Python does.
 */
import type { SyntaxNode } from '@lezer/common';
import { childNodes, evaluate, EvalContext, meaningfulChildren, textOf } from './evaluator';
import { NONE, PyValue, unknown } from './values';

interface Param {
  name: string;
  /** `*args` or `**kwargs`. */
  star: '' | '*' | '**';
  /** Evaluated when the function is defined, as Python does. */
  fallback?: PyValue;
}

/** Nested calls beyond this are taken as runaway recursion. */
const MAX_CALL_DEPTH = 32;
let callDepth = 0;

/** The value of a `lambda` expression. */
export function lambdaValue(node: SyntaxNode, ctx: EvalContext): PyValue {
  const children = childNodes(node);
  const paramList = children.find((c) => c.name === 'ParamList');
  const body = children[children.length - 1];
  const params = paramList ? readParams(childNodes(paramList), ctx) : [];
  const base = { kind: 'function' as const, name: '<lambda>', file: ctx.file, line: ctx.line };
  if (!params || !body || body.name === ':') return base;
  return { ...base, invoke: (positional, keywords, env) => call(params, positional, keywords, env, ctx, (inner) => evaluate(body, inner)) };
}

/** The value a `def` statement binds; callable only when its body is simple enough (see above). */
export function defValue(definition: SyntaxNode, name: string, ctx: EvalContext): PyValue {
  const base = { kind: 'function' as const, name, file: ctx.file, line: ctx.line };
  const children = childNodes(definition);
  const paramList = children.find((c) => c.name === 'ParamList');
  const body = children.find((c) => c.name === 'Body');
  if (!paramList || !body) return base;
  const params = readParams(
    childNodes(paramList).filter((c) => c.name !== '(' && c.name !== ')'),
    ctx,
  );
  const statements = childNodes(body).filter((c) => c.name !== ':');
  if (!params || !isSimpleBody(statements)) return base;
  return {
    ...base,
    invoke: (positional, keywords, env) =>
      call(params, positional, keywords, env, ctx, (inner) => {
        for (const statement of statements) {
          if (statement.name === 'AssignStatement') {
            const [target, , value] = childNodes(statement);
            inner.locals!.set(textOf(target, inner.source), evaluate(value, inner));
          } else if (statement.name === 'ReturnStatement') {
            const value = meaningfulChildren(statement).find((c) => c.name !== 'return');
            return value ? evaluate(value, inner) : NONE;
          }
        }
        return NONE;
      }),
  };
}

function isSimpleBody(statements: SyntaxNode[]): boolean {
  if (statements.length === 0 || statements[statements.length - 1].name !== 'ReturnStatement') return false;
  return statements.every((statement, i) => {
    if (statement.name === 'ReturnStatement') return i === statements.length - 1;
    if (statement.name === 'ExpressionStatement') return i === 0 && statement.firstChild?.name === 'String';
    if (statement.name !== 'AssignStatement') return false;
    const parts = childNodes(statement);
    return parts.length === 3 && parts[0].name === 'VariableName' && parts[1].name === 'AssignOp';
  });
}

/** Parameters with their defaults; null for forms not supported (keyword-only markers, annotations). */
function readParams(nodes: SyntaxNode[], ctx: EvalContext): Param[] | null {
  const params: Param[] = [];
  let star: Param['star'] = '';
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.name === ',') continue;
    if (node.name === '*' || node.name === '**') {
      star = node.name;
      continue;
    }
    if (node.name !== 'VariableName') return null;
    const param: Param = { name: textOf(node, ctx.source), star };
    if (nodes[i + 1]?.name === 'AssignOp' && nodes[i + 2]) {
      param.fallback = evaluate(nodes[i + 2], ctx);
      i += 2;
    } else if (nodes[i + 1] && nodes[i + 1].name !== ',') return null;
    if (star === '*' && params.some((p) => p.star === '*')) return null;
    params.push(param);
    star = '';
  }
  return params;
}

function call(
  params: Param[],
  positional: PyValue[],
  keywords: Map<string, PyValue>,
  env: Set<string>,
  defined: EvalContext,
  run: (inner: EvalContext) => PyValue,
): PyValue {
  if (callDepth >= MAX_CALL_DEPTH) return unknown('calls functions nested deeper than static mode follows', defined);
  // A lambda written inside a comprehension still sees the comprehension's variables.
  const locals = new Map<string, PyValue>(defined.locals ?? []);
  const rest = [...positional];
  const extraKeywords = new Map(keywords);
  for (const param of params) {
    if (param.star === '*') {
      locals.set(param.name, { kind: 'tuple', items: rest.splice(0) });
    } else if (param.star === '**') {
      const entries = new Map([...extraKeywords].map(([k, v]) => [`s:${k}`, { key: { kind: 'str', value: k } as PyValue, value: v }]));
      locals.set(param.name, { kind: 'dict', entries });
      extraKeywords.clear();
    } else if (rest.length) {
      locals.set(param.name, rest.shift()!);
    } else if (extraKeywords.has(param.name)) {
      locals.set(param.name, extraKeywords.get(param.name)!);
      extraKeywords.delete(param.name);
    } else if (param.fallback) {
      locals.set(param.name, param.fallback);
    } else {
      return unknown(`raises TypeError (missing argument '${param.name}'); Django would fail here`, defined);
    }
  }
  if (rest.length || extraKeywords.size) return unknown('raises TypeError (unexpected arguments); Django would fail here', defined);
  callDepth++;
  try {
    // The body runs where it was written (its source, its module's names), with the caller's env record.
    return run({ ...defined, env, locals, depth: 0 });
  } finally {
    callDepth--;
  }
}
