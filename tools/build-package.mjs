// Builds one publishable library into `dist/packages/<lib>/`: ES modules with declarations and source maps (sources
// inlined, so a consumer's debugger needs nothing else), its package.json, a README and the LICENSE. Imports of
// sibling libraries stay `@ioauth/<lib>` imports, typed against their own built declarations, so each package
// installs and runs on its own. Run through Nx (`nx run-many -t build`), which builds dependencies first.
//
//   node tools/build-package.mjs <lib>
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));
const lib = process.argv[2];
if (!lib) throw new Error('usage: node tools/build-package.mjs <lib>');

const source = `${root}libs/${lib}/`;
const out = `${root}dist/packages/${lib}/`;
const manifest = JSON.parse(await readFile(`${source}package.json`, 'utf8'));

/** `@ioauth/<lib>/<subpath>` of every package that exports one, typed by its built declarations. */
async function subpathTypes() {
  const paths = {};
  for (const entry of await readdir(`${root}libs`)) {
    const exports = JSON.parse(
      await readFile(`${root}libs/${entry}/package.json`, 'utf8').catch(() => '{}'),
    ).exports;
    for (const [subpath, target] of Object.entries(exports ?? {}))
      if (subpath !== '.' && typeof target === 'object')
        paths[`@ioauth/${entry}/${subpath.slice(2)}`] = [
          `${root}dist/packages/${entry}/${target.types.slice(2)}`,
        ];
  }
  return paths;
}

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const tsconfig = `${root}dist/packages/.tsconfig.${lib}.json`;
await writeFile(
  tsconfig,
  JSON.stringify({
    extends: `${source}tsconfig.lib.json`,
    compilerOptions: {
      rootDir: `${source}src`,
      outDir: out,
      declaration: true,
      declarationMap: true,
      sourceMap: true,
      inlineSources: true,
      noEmit: false,
      paths: { ...(await subpathTypes()), '@ioauth/*': [`${root}dist/packages/*/index.d.ts`] },
    },
  }),
);
try {
  await promisify(execFile)(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', tsconfig], {
    cwd: root,
  });
} catch (error) {
  process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
  process.exitCode = 1;
  throw new Error(`@ioauth/${lib} does not compile`, { cause: error });
} finally {
  await rm(tsconfig, { force: true });
}

await writeFile(`${out}package.json`, `${JSON.stringify(manifest, undefined, 2)}\n`);
await copyFile(`${root}LICENSE`, `${out}LICENSE`);
await writeFile(
  `${out}README.md`,
  `# ${manifest.name}\n\n${manifest.description}\n\nPart of ioauth, one login for HTTP and socket.io: ` +
    'the guide, the module options and the wire contract are in the ioauth README and `docs/contract.md`.\n',
);
process.stdout.write(`built ${manifest.name}@${manifest.version} in dist/packages/${lib}\n`);
