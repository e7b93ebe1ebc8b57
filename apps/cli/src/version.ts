import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { appRoot } from '@ioauth/config';

/**
 * The version of ioauth this CLI belongs to: the one of the `package.json` above it, which is the repository's,
 * whether it runs from its sources (`apps/cli/src/`) or compiled (`dist/apps/cli/main.js`), here or deployed.
 */
export function cliVersion(from = fileURLToPath(new URL('.', import.meta.url))): string {
  const manifest = JSON.parse(readFileSync(join(appRoot(from), 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  if (typeof manifest.version !== 'string') throw new Error('the package.json of ioauth names no version');
  return manifest.version;
}
