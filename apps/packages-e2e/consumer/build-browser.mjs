// Bundles the page's script for the browser, as the team's front-end build would, and writes esbuild's metafile
// beside the bundles so that the inputs can be checked.
import { writeFile } from 'node:fs/promises';

import { build } from 'esbuild';

const result = await build({
  entryPoints: { app: 'src/browser.ts', 'client-import': 'src/client-import.ts' },
  outdir: 'dist/browser',
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  metafile: true,
  logLevel: 'warning',
  // client-import.ts imports the SDK for nothing on purpose: esbuild dropping it is what the e2e checks.
  logOverride: { 'ignored-bare-import': 'silent' },
});
await writeFile('dist/browser/meta.json', JSON.stringify(result.metafile));
