/**
 * dist/cli.js, the `django-static` command: `lsp` starts through the code cache (codeCache.ts), as an
 * editor starts it again and again; the one-off commands load the bundle as it is.
 */
import * as path from 'node:path';
import { launch } from './codeCache';
import { SERVER_V8_FLAGS } from './serverFlags';

declare const BUNDLE_ID: string;

const bundle = path.join(__dirname, 'cli-bundle.js');
if (process.argv[2] === 'lsp') launch({ bundle, buildId: BUNDLE_ID, v8Flags: SERVER_V8_FLAGS });
else require(bundle);
