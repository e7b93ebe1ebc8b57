// Packs every built library of `dist/packages/` into an installable tarball beside it
// (`dist/packages/ioauth-<lib>-<version>.tgz`), as `npm publish` would upload it. Run `npm run build` first.
import { execFile } from 'node:child_process';
import { readdir, rm, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = `${root}dist/packages/`;

const entries = await readdir(out).catch(() => []);
const libs = [];
for (const entry of entries) {
  if (entry.endsWith('.tgz')) await rm(`${out}${entry}`);
  else if (await stat(`${out}${entry}/package.json`).catch(() => undefined)) libs.push(entry);
}
if (libs.length === 0) throw new Error('nothing to pack in dist/packages/: run `npm run build` first');

for (const lib of libs.sort()) {
  const { stdout } = await promisify(execFile)(
    'npm',
    ['pack', `${out}${lib}`, '--pack-destination', out, '--json', '--silent'],
    { cwd: root },
  );
  const [{ filename, size, entryCount }] = JSON.parse(stdout);
  process.stdout.write(`dist/packages/${filename}  ${entryCount} files, ${(size / 1024).toFixed(1)} kB\n`);
}
