// Runs a compiled app of this repository, building it first when a source changed since its last build (a few
// hundred milliseconds; nothing when it is current). `npm start`, `npm run ioauth` and the `start:*` scripts use it,
// so that one command works from a fresh clone and always runs what the sources say.
//
//   node tools/run-app.mjs <project> [args of the app ...]
import { fileURLToPath, pathToFileURL } from 'node:url';

import { isStale } from './app-freshness.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const [project, ...rest] = process.argv.slice(2);
if (!project) throw new Error('usage: node tools/run-app.mjs <project> [args ...]');

if (await isStale(project)) {
  const { buildStale } = await import('./build-apps.mjs');
  await buildStale([project]);
}
// The server serves the demo page, built by its own script.
if (project === 'apps/server' && (await isStale('demo-web'))) await import('./build-demo-web.mjs');

// Contract: demo mode is the default of `npm start`, and of nothing else.
if (project === 'apps/server') process.env.IOAUTH_DEMO ??= 'true';

// The app reads its own arguments (the CLI's commander) from process.argv, as if started directly.
process.argv.splice(1, process.argv.length - 1, `${root}dist/${project}/main.js`, ...rest);
await import(pathToFileURL(`${root}dist/${project}/main.js`).href);
