import { UserError } from '../engine/model';
import { ParsedArgs } from './args';

/**
 * `django-static lsp --stdio`: the same server as dist/server.js. The import is lazy so the other commands
 * never load the LSP code (and never open a connection).
 */
export async function runLsp(args: ParsedArgs): Promise<number> {
  if (!args.flags.has('stdio') && !args.flags.has('node-ipc')) {
    throw new UserError("'lsp' needs a transport: django-static lsp --stdio");
  }
  const { startServer } = await import('../server');
  const connection = startServer();
  // The connection keeps the process alive; resolve only when the client shuts us down.
  return new Promise<number>((resolve) => connection.onExit(() => resolve(0)));
}
