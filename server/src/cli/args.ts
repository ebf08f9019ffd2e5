import { LearnOptions, UserError } from '../engine/model';

/** Parsed command line: positional arguments and flags (`--flag value`, `--flag=value`, `--switch`). */
export interface ParsedArgs {
  command: string;
  positionals: string[];
  flags: Map<string, string | true>;
}

/** Flags that never take a value. */
const SWITCHES = new Set(['first', 'json', 'stdio', 'help', 'node-ipc', 'quiet', 'project']);

export function parseArgs(argv: string[]): ParsedArgs {
  const [command = 'help', ...rest] = argv;
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--') {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (eq !== -1) flags.set(name, arg.slice(eq + 1));
    else if (SWITCHES.has(name)) flags.set(name, true);
    else if (i + 1 < rest.length) flags.set(name, rest[++i]);
    else throw new UserError(`The option --${name} needs a value.`);
  }
  return { command, positionals, flags };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  if (value === true) throw new UserError(`The option --${name} needs a value.`);
  return value;
}

export function rootFlag(args: ParsedArgs): string {
  return stringFlag(args, 'root') ?? process.cwd();
}

/** The shared flags `--mode`, `--python`, `--settings` as engine options. */
export function learnOptions(args: ParsedArgs): LearnOptions {
  const mode = stringFlag(args, 'mode');
  if (mode !== undefined && mode !== 'django' && mode !== 'static' && mode !== 'auto') {
    throw new UserError(`Unknown mode '${mode}': use --mode django or --mode static.`);
  }
  return {
    mode: mode ?? 'auto',
    python: stringFlag(args, 'python'),
    settings: stringFlag(args, 'settings'),
    timeoutMs: timeoutFlag(args),
  };
}

/** `--timeout SECONDS` for the Django-mode helper: a positive number of seconds, at most a day. */
function timeoutFlag(args: ParsedArgs): number | undefined {
  const text = stringFlag(args, 'timeout');
  if (text === undefined) return undefined;
  const seconds = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0) || seconds > 86_400) {
    throw new UserError(
      `Invalid --timeout '${text}': give the seconds the Django helper may run, a number above 0 (for example --timeout 30).`,
    );
  }
  return seconds * 1000;
}

/** Rejects flags a command does not know, so a typo is not silently ignored. */
export function allowFlags(args: ParsedArgs, allowed: string[]): void {
  const known = new Set([...allowed, 'root', 'mode', 'python', 'settings', 'timeout']);
  for (const name of args.flags.keys()) {
    if (!known.has(name)) throw new UserError(`Unknown option --${name} for '${args.command}'.`);
  }
}
