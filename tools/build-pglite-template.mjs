// Writes `dist/pglite/template.tar`: a fresh embedded database, migrated, made by the installed PGlite, which
// StoreModule's `dataDirTemplate` copies into an empty data folder instead of running initdb (issue 13: ~1 s
// instead of ~5 s for a first start). The store's own `PgliteSqlClient.writeTemplate` makes it, bundled on the fly
// so that this runs without a TypeScript loader.
//
//   node tools/build-pglite-template.mjs             always
//   node tools/build-pglite-template.mjs --if-stale  only when PGlite or the migrations changed since
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const outdir = `${root}dist/pglite`;
const template = `${outdir}/template.tar`;
// The package exports no `package.json`; its entry point is `dist/index.cjs`.
const pgliteManifest = `${dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'))}/../package.json`;

async function isStale() {
  const built = await stat(template).catch(() => undefined);
  if (!built) return true;
  for (const input of [pgliteManifest, `${root}libs/store/src/sql/migrations.ts`]) {
    if ((await stat(input)).mtimeMs > built.mtimeMs) return true;
  }
  return false;
}

if (process.argv.includes('--if-stale') && !(await isStale())) process.exit(0);

const started = performance.now();
await mkdir(outdir, { recursive: true });
const writer = `${outdir}/.template-writer.mjs`;
const { outputFiles } = await build({
  entryPoints: [`${root}libs/store/src/sql/pglite.client.ts`],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  write: false,
  logLevel: 'warning',
});
await writeFile(writer, outputFiles[0].contents);
try {
  const { PgliteSqlClient } = await import(pathToFileURL(writer).href);
  await PgliteSqlClient.writeTemplate(template);
} finally {
  await rm(writer, { force: true });
}
process.stdout.write(`built dist/pglite/template.tar in ${Math.round(performance.now() - started)} ms\n`);
