// Whether a compiled app (`dist/<project>/main.js`) is older than the sources it was built from. Kept apart from
// the build so that `npm start` and `npm run ioauth` check in a few milliseconds without loading esbuild or swc.
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * The source files the last build of `project` read, written beside its output folder (not in it: the demo page's
 * folder is served as it is).
 */
export const inputsFile = (project) => `${root}dist/${project}.inputs.json`;

/** True when the bundle is missing, or a file it was built from changed or disappeared since. */
export async function isStale(project) {
  const built = await stat(`${root}dist/${project}/main.js`).catch(() => undefined);
  if (!built) return true;
  const inputs = JSON.parse(await readFile(inputsFile(project), 'utf8').catch(() => '[]'));
  if (inputs.length === 0) return true;
  const sources = await Promise.all(inputs.map((input) => stat(`${root}${input}`).catch(() => undefined)));
  return sources.some((source) => !source || source.mtimeMs > built.mtimeMs);
}
