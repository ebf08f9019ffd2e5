// Lint keeps the layers apart (engine → service → workspace → server/CLI fronts, client beside them) and
// catches what tsc does not. Style is Prettier's job (.prettierrc.json), so no formatting rules here.
import tseslint from 'typescript-eslint';

/** `no-restricted-imports` patterns forbidding a layer from reaching the ones above it. */
function forbid(...groups) {
  return {
    'no-restricted-imports': ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }],
  };
}

const LSP = [
  [
    'vscode-languageserver',
    'vscode-languageserver/*',
    'vscode-languageserver-protocol',
    'vscode-languageserver-protocol/*',
    'vscode-jsonrpc',
    'vscode-jsonrpc/*',
  ],
  'This layer has no connection: return plain values and let the server speak LSP.',
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'examples/**', 'test/fixtures/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Caught errors and unused parameters are named for the reader; an underscore says "on purpose".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The CLI and tests require() built bundles and optional modules at run time.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // One namespace of typed requests shared by client and server, as rust-analyzer's lsp_ext.ts.
    files: ['server/src/protocol.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  {
    files: ['server/src/engine/**/*.ts'],
    rules: forbid(
      [
        ['**/service', '**/service/*', '**/workspace', '**/workspace/*', '**/cli/*', '**/server', '**/protocol'],
        'The engine knows nothing of the service, the workspace, the fronts or the protocol.',
      ],
      [
        ['vscode-languageserver-types', 'vscode-languageserver-textdocument', 'vscode-uri'],
        'The engine has no LSP types: it speaks paths and plain values.',
      ],
      LSP,
    ),
  },
  {
    files: ['server/src/service/**/*.ts'],
    rules: forbid(
      [['**/workspace', '**/workspace/*', '**/cli/*', '**/server'], 'The service is pure: (document, model, project) in, LSP types out.'],
      LSP,
    ),
  },
  {
    files: ['server/src/workspace/**/*.ts'],
    rules: forbid([['**/cli/*', '**/server'], 'The workspace layer is used by the fronts, never the other way round.']),
  },
  {
    files: ['client/src/**/*.ts'],
    rules: forbid([
      ['**/server/src/engine/*', '**/server/src/service', '**/server/src/service/*', '**/server/src/workspace/*', '**/server/src/cli/*'],
      'The client talks to the server over LSP; it shares only server/src/protocol.ts and server/src/text.ts (words).',
    ]),
  },
);
