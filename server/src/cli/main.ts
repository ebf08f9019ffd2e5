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
import { runManifest } from './manifest';

type Command = (args: ParsedArgs) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  find: runFind,
  list: runList,
  info: runInfo,
  check: runCheck,
  lsp: runLsp,
  manifest: runManifest,
};

const USAGE = `Usage: django-static <command> [options]

Commands:
  find [--first] [--root DIR] PATH...   Where Django finds PATH (like manage.py findstatic)
  list --json [--root DIR]              What collectstatic would write, with every source in finder order
  info [--root DIR]                     Mode, finders and locations, STATIC_URL/STATIC_ROOT, duplicates
  check [--root DIR] [--format text|json|github] [--fail-on error|warning] [--project]
                                        Diagnose {% static %} usage in every template and the CSS/JS references
                                        collectstatic rewrites (exit 1 on errors); --project adds the layout findings
  manifest [--root DIR]                 What staticfiles.json would contain (ManifestStaticFilesStorage), without collecting
  lsp --stdio                           Start the language server over stdio

Shared options:
  --mode django|static   Run the project's Python (django) or read settings without executing them (static)
  --python PATH          Interpreter to use in Django mode
  --settings MODULE      Settings module (default: DJANGO_SETTINGS_MODULE or manage.py's default)
  --timeout SECONDS      Stop the Django-mode helper after this many seconds (default 15; then static mode)

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

let settled = false;
// Node exits with code 0 and prints nothing when the event loop empties while a promise is still pending (an
// await on an event that never comes): the one fuzzed template in 211 runs that made `check` exit 0 silently
// ended this way. Say so, and fail, instead.
// (The language server is left alone: it ends when its client goes, however that happens.)
process.on('beforeExit', () => {
  if (settled || process.argv[2] === 'lsp') return;
  settled = true;
  process.stderr.write(
    'django-static: internal error: stopped before finishing (an operation never completed); run again with DJANGO_STATIC_DEBUG=1 for details.\n',
  );
  process.exitCode = 3;
});

main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (err: unknown) => {
    settled = true;
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
