import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Debian's chromium (`apt-get install chromium`): playwright-core never downloads a browser of its own here. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where the suite saves its screenshots (gitignored). */
export const OUTPUT_DIR = fileURLToPath(new URL('../test-output/', import.meta.url));

/** Whether the suite can run here; under CI=true it must, so a missing browser fails instead of skipping. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM) || process.env['CI'] === 'true') return true;
  process.stderr.write(`demo-e2e skipped: no ${CHROMIUM} (apt-get install chromium)\n`);
  return false;
}

/** Builds the demo page into dist/demo-web, as `npm start` does, so that the servers under test serve it. */
export function buildDemoPage(): void {
  execFileSync(process.execPath, ['tools/build-demo-web.mjs'], { cwd: ROOT, stdio: 'pipe' });
}

/** Headless chromium, root-safe, with none of the background traffic this machine's closed network refuses. */
export async function launchBrowser(): Promise<Browser> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A port free now, for a server that must come back on the same port after a restart. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
