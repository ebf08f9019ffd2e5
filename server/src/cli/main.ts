/**
 * `django-static`: the command line front end to the engine. Each command lives in its own module and
 * returns an exit code; user errors become one sentence on stderr and exit code 2, never a stack trace.
 */
import { UserError } from '../engine/model';
import { ParsedArgs, parseArgs } from './args';
import { runFind } from './find';
import { runList } from './list';
import { runInfo } from './info';
import { runCheck } from './check';
import { runLsp } from './lsp';

type Command = (args: ParsedArgs) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  find: runFind,
  list: runList,
  info: runInfo,
  check: runCheck,
  lsp: runLsp,
};

const USAGE = `Usage: django-static <command> [options]

Commands:
  find [--first] [--root DIR] PATH...   Where Django finds PATH (like manage.py findstatic)
  list --json [--root DIR]              What collectstatic would write, with every source in finder order
  info [--root DIR]                     Mode, finders and locations, STATIC_URL/STATIC_ROOT, duplicates
  check [--root DIR] [--format text|json|github] [--fail-on error|warning]
                                        Diagnose {% static %} usage in every template (exit 1 on errors)
  lsp --stdio                           Start the language server over stdio

Shared options:
  --mode django|static   Run the project's Python (django) or read settings without executing them (static)
  --python PATH          Interpreter to use in Django mode
  --settings MODULE      Settings module (default: DJANGO_SETTINGS_MODULE or manage.py's default)

Exit codes:
  0  no errors (check: no findings at or above --fail-on)
  1  check found errors (or warnings with --fail-on warning)
  2  a usage or project error: bad option, no project, --mode django when Django cannot run, an unusable --python
  3  an internal error
  4  check: a project has template-looking files but TEMPLATES covers none of them, so nothing was checked
`;

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.command === 'help' || args.command === '--help' || args.command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = COMMANDS[args.command];
  if (!command) throw new UserError(`Unknown command '${args.command}'. Run 'django-static help' for the list.`);
  return command(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UserError) {
      process.stderr.write(`django-static: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`django-static: internal error: ${message}\n`);
      if (process.env.DJANGO_STATIC_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
      process.exitCode = 3;
    }
  },
);
