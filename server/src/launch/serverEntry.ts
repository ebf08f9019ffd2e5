/** dist/server.js: the language server as VS Code starts it, through the code cache (codeCache.ts). */
import * as path from 'node:path';
import { launch } from './codeCache';
import { SERVER_V8_FLAGS } from './serverFlags';

declare const BUNDLE_ID: string;

launch({ bundle: path.join(__dirname, 'server-bundle.js'), buildId: BUNDLE_ID, v8Flags: SERVER_V8_FLAGS });
