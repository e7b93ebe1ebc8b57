// Builds the demo page (apps/demo-web) into dist/demo-web, which `npm start` serves at `/`: one ES module bundle
// for the browser (the SDK and socket.io-client included) with its source map, plus the static files. Run by
// `npm run build:demo`, by `prestart`, and by the demo e2e suite; it takes a fraction of a second.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

import { inputsFile } from './app-freshness.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const source = `${root}apps/demo-web/`;
const out = `${root}dist/demo-web/`;

await mkdir(out, { recursive: true });
// Files are overwritten in place and the folder never removed, so that a running server or a second build at the
// same time (npm start beside the e2e suite) never finds it missing.
const result = await build({
  entryPoints: [`${source}src/main.ts`],
  outfile: `${out}main.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  // The `@ioauth/*` paths of tsconfig.base.json, and the browser-safe compiler settings of the page.
  tsconfig: `${source}tsconfig.lib.json`,
  logLevel: 'warning',
  metafile: true,
});
await Promise.all([
  copyFile(`${source}index.html`, `${out}index.html`),
  copyFile(`${source}src/styles.css`, `${out}styles.css`),
  copyFile(`${source}src/favicon.svg`, `${out}favicon.svg`),
]);
const statics = ['index.html', 'src/styles.css', 'src/favicon.svg'].map((file) => `apps/demo-web/${file}`);
await writeFile(
  inputsFile('demo-web'),
  `${JSON.stringify([...Object.keys(result.metafile.inputs), ...statics].sort(), undefined, 2)}\n`,
);
process.stdout.write(`demo page built in ${out}\n`);
