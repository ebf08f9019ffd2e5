/**
 * The two libraries settings files use most to read the environment, python-decouple (`config('X',
 * default=..., cast=bool)`) and django-environ (`env = environ.Env(DEBUG=(bool, False)); env('DEBUG')`),
 * answered the way os.environ.get is: with the default written in settings, the variable remembered.
 */
import type { CallArgs, CallSite } from './calls';
import { bool, isSequence, NONE, PyValue, SourceSpot, str, unknown } from './values';

export const ENV_LIBRARY_MODULES: Record<string, Record<string, PyValue>> = {
  decouple: {
    config: { kind: 'builtin', name: 'decouple.config' },
    Csv: { kind: 'builtin', name: 'decouple.Csv' },
  },
  environ: {
    Env: { kind: 'builtin', name: 'environ.Env' },
  },
};

const ENV_METHODS = ['str', 'bool', 'int', 'float', 'list', 'tuple', 'dict', 'path', 'url', 'json'];

/** `env.bool`, `env.read_env`, `environ.Env.read_env`. */
export function envLibraryAttribute(owner: Extract<PyValue, { kind: 'builtin' }>, name: string, site: SourceSpot): PyValue {
  if (name === 'read_env') return { kind: 'builtin', name: 'environ.read_env' };
  if (owner.name === 'environ.Env.instance' && ENV_METHODS.includes(name))
    return { kind: 'builtin', name: `environ.Env.${name}`, self: owner.self };
  return unknown(`uses ${owner.name === 'environ.Env.instance' ? 'env' : owner.name}.${name}, which static mode does not implement`, site);
}

export function envLibraryCall(callee: Extract<PyValue, { kind: 'builtin' }>, args: CallArgs, site: CallSite): PyValue {
  const [first, second] = args.positional;
  switch (callee.name) {
    case 'decouple.Csv':
      return { kind: 'builtin', name: 'decouple.Csv.instance' };
    case 'environ.read_env':
      return NONE;
    case 'environ.Env': {
      // The scheme: NAME=(cast, default) or NAME=cast.
      const scheme = new Map(args.keywords);
      return {
        kind: 'builtin',
        name: 'environ.Env.instance',
        self: { kind: 'dict', entries: new Map([...scheme].map(([k, v]) => [`s:${k}`, { key: str(k), value: v }])) },
      };
    }
    case 'decouple.config': {
      const name = variableName(first, site);
      if (typeof name !== 'string') return name;
      const fallback = args.keywords.get('default') ?? second;
      if (!fallback)
        return unknown(`reads environment variable ${name} through config() without a default, which static mode does not know`, site);
      return decoupleCast(fallback, args.keywords.get('cast') ?? args.positional[2], site);
    }
  }
  if (callee.name === 'environ.Env.instance' || callee.name.startsWith('environ.Env.')) {
    const name = variableName(first, site);
    if (typeof name !== 'string') return name;
    let fallback = args.keywords.get('default') ?? (callee.name === 'environ.Env.instance' ? undefined : second);
    if (!fallback && callee.self?.kind === 'dict') {
      const declared = callee.self.entries.get(`s:${name}`)?.value;
      if (declared && isSequence(declared) && declared.items.length === 2) fallback = declared.items[1];
    }
    if (!fallback)
      return unknown(`reads environment variable ${name} through django-environ without a default, which static mode does not know`, site);
    // django-environ returns the default as written (parse_default is off by default).
    return fallback;
  }
  return unknown(`calls ${site.calleeText}(), which static mode does not implement`, site);
}

function variableName(value: PyValue | undefined, site: CallSite): string | PyValue {
  if (!value || value.kind !== 'str') return unknown(`calls ${site.calleeText}() with a variable name static mode cannot read`, site);
  site.env.add(value.value);
  return value.value;
}

/** python-decouple applies `cast` to the default too. */
function decoupleCast(value: PyValue, cast: PyValue | undefined, site: SourceSpot): PyValue {
  if (!cast) return value;
  if (cast.kind === 'builtin' && cast.name === 'bool') {
    if (value.kind !== 'str') return bool(value.kind === 'bool' ? value.value : value.kind !== 'none');
    const text = value.value.toLowerCase();
    if (['1', 'yes', 'true', 'on'].includes(text)) return bool(true);
    if (['0', 'no', 'false', 'off', ''].includes(text)) return bool(false);
    return unknown(`raises ValueError (not a boolean: ${value.value})`, site);
  }
  if (cast.kind === 'builtin' && cast.name === 'str')
    return value.kind === 'str' ? value : unknown('casts a default static mode cannot print', site);
  if (cast.kind === 'builtin' && (cast.name === 'int' || cast.name === 'float')) {
    const n = value.kind === 'str' ? Number(value.value) : value.kind === 'int' || value.kind === 'float' ? value.value : NaN;
    return Number.isNaN(n)
      ? unknown(`raises ValueError (${cast.name}() of the default)`, site)
      : { kind: cast.name, value: cast.name === 'int' ? Math.trunc(n) : n };
  }
  if (cast.kind === 'builtin' && cast.name === 'decouple.Csv.instance') {
    if (value.kind !== 'str') return value;
    return {
      kind: 'list',
      items: value.value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map(str),
    };
  }
  return unknown('casts the default with a function static mode does not run', site);
}
