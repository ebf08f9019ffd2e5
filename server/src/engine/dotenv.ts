import { fsAsync as fs } from './fsAsync';
import * as path from 'node:path';

/**
 * Parses `.env` text the way common loaders (python-dotenv, docker compose) read simple files:
 * `KEY=VALUE`, optional `export `, `#` comments, single quotes (literal), double quotes (with `\n`-style
 * escapes) and `${VAR}` expansion in unquoted and double-quoted values. Lines that do not parse are skipped.
 */
export function parseDotenv(text: string, lookup: Record<string, string | undefined> = {}): Record<string, string> {
  const result: Record<string, string> = {};
  const resolve = (name: string) => result[name] ?? lookup[name] ?? '';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(lines[i]);
    if (!match) continue;
    const key = match[1];
    let raw = match[2];
    const quote = raw[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may span lines until the closing quote.
      let body = raw.slice(1);
      let end = findClosingQuote(body, quote);
      while (end === -1 && i + 1 < lines.length) {
        body += '\n' + lines[++i];
        end = findClosingQuote(body, quote);
      }
      if (end === -1) continue;
      body = body.slice(0, end);
      result[key] = quote === "'" ? body : expand(unescapeDouble(body), resolve);
    } else {
      raw = raw.replace(/\s+#.*$/, '').trim();
      result[key] = expand(raw, resolve);
    }
  }
  return result;
}

function findClosingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && quote === '"') {
      i++;
      continue;
    }
    if (body[i] === quote) return i;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

function unescapeDouble(body: string): string {
  return body.replace(/\\(.)/g, (whole, ch: string) => ESCAPES[ch] ?? whole);
}

function expand(value: string, resolve: (name: string) => string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_whole, name: string, fallback?: string) => {
    const found = resolve(name);
    return found === '' && fallback !== undefined ? fallback : found;
  });
}

/**
 * The environment a project's Python runs with, for learning and for collection alike: this process's
 * environment, then the project's `.env`, then `djangoStatic.env` (each later one wins).
 */
export async function projectEnvironment(
  projectDir: string,
  extra: Record<string, string> | undefined,
  base: NodeJS.ProcessEnv = process.env,
): Promise<NodeJS.ProcessEnv> {
  return { ...base, ...(await projectVariables(projectDir, extra, base)) };
}

/** What projectEnvironment puts over `base`: the project's `.env` (expanded from `base`), then `extra`. */
export async function projectVariables(
  projectDir: string,
  extra: Record<string, string> | undefined,
  base: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string>> {
  return { ...(await readDotenv(projectDir, base)), ...(extra ?? {}) };
}

/** Reads `<dir>/.env`; a missing or unreadable file gives `{}` (a `.env` is optional). */
export async function readDotenv(dir: string, lookup: Record<string, string | undefined> = process.env): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, '.env'), 'utf8');
  } catch {
    return {};
  }
  return parseDotenv(text, lookup);
}
