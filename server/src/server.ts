/**
 * The language server: a thin LSP adapter over the protocol-free language service (`service/`) and the
 * workspace layer (`workspace/`). Started by dist/server.js (VS Code, stdio or IPC) and `django-static lsp --stdio`.
 */
import { Connection, createConnection, InitializeResult, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';

let running: Connection | undefined;

/** Starts the server once per process (the module starts it on load; the CLI asks for the same one). */
export function startServer(): Connection {
  if (running) return running;
  const connection = createConnection(ProposedFeatures.all);
  running = connection;
  connection.onInitialize((): InitializeResult => ({
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
    serverInfo: { name: 'django-static' },
  }));
  connection.listen();
  return connection;
}

startServer();
