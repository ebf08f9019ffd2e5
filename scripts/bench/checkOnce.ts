/**
 * Child process for the in-process figure a server's first workspace check compares with: the same
 * doValidation pass as the bench's "workspace diagnostics" (template texts read beforehand, a fresh service
 * and index), but once, in a fresh process (cold JIT) and under the server's V8 flags, set at run time before
 * any of the tool's code loads, as the server's loader sets them. Prints one JSON line: wall ms and the
 * process's CPU (every thread), the figures the server logs for its own check.
 */
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { pathToFileURL } from 'node:url';
import { SERVER_V8_FLAGS } from '../../server/src/launch/serverFlags';

v8.setFlagsFromString(SERVER_V8_FLAGS.join(' '));

async function main(root: string, templates: string[]): Promise<void> {
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const { benchSettings, buildIndex, learnProject, loadLanguageService } = await import('./engine');
  const { now, reasonOf } = await import('./stats');
  const { DJANGO_PYTHON } = await import('./reference');
  try {
    const service = loadLanguageService();
    if ('na' in service) throw new Error(service.na);
    const model = await learnProject(root, { mode: 'static', python: DJANGO_PYTHON });
    const ctx = { model, index: await buildIndex(model), settings: benchSettings('static') };
    const texts = templates.map((file) => ({ uri: pathToFileURL(file).toString(), text: fs.readFileSync(file, 'utf8') }));
    const ls = service.create();
    const cpuBefore = process.cpuUsage();
    const start = now();
    let diagnostics = 0;
    for (const { uri, text } of texts) diagnostics += ls.doValidation(TextDocument.create(uri, 'django-html', 1, text), ctx).length;
    const ms = now() - start;
    const cpu = process.cpuUsage(cpuBefore);
    process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, diagnostics }) + '\n');
  } catch (err) {
    process.stdout.write(JSON.stringify({ error: reasonOf(err) }) + '\n');
    process.exitCode = 1;
  }
}

// The template list comes on stdin: 2,000 paths do not fit every command line.
const input: Buffer[] = [];
process.stdin.on('data', (chunk: Buffer) => input.push(chunk));
process.stdin.on('end', () => void main(process.argv[2], JSON.parse(Buffer.concat(input).toString('utf8')) as string[]));
