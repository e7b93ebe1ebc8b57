// Compiles runnable apps into one ES module each, `dist/<project>/main.js` with its source map, that runs on the
// production dependencies alone: the `@ioauth/*` libraries are bundled in, every npm package stays an import.
// esbuild bundles; swc compiles each TypeScript file first because esbuild does not emit the decorator metadata
// that Nest's dependency injection reads (the same swc settings as the Jest preset).
//
//   node tools/build-apps.mjs [project ...]   e.g. apps/server examples/enterprise-app; all apps without one
//   node tools/build-apps.mjs --if-stale ...  builds only what a source newer than its output asks for
import { readFile, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

import { transform } from '@swc/core';
import { build } from 'esbuild';

import { inputsFile, isStale } from './app-freshness.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));

export const APPS = ['apps/server', 'apps/auth-api', 'apps/gateway', 'apps/cli'];

/**
 * Builds each project, or with `onlyStale` each whose bundle is missing or older than one of its sources; says which
 * it built.
 */
export async function buildStale(projects = APPS, { onlyStale = true } = {}) {
  for (const project of projects) {
    if (onlyStale && !(await isStale(project))) continue;
    const started = performance.now();
    await buildApp(project);
    process.stdout.write(`built dist/${project}/main.js in ${Math.round(performance.now() - started)} ms\n`);
  }
}

const manifest = JSON.parse(await readFile(`${root}package.json`, 'utf8'));
// Bare imports of what `npm ci --omit=dev` installs, and Node's own modules, stay imports of the bundle.
const external = [
  ...Object.keys(manifest.dependencies),
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
];

const SWC_OPTIONS = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

const decoratorMetadata = {
  name: 'swc-decorator-metadata',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const { code } = await transform(source, { ...SWC_OPTIONS, filename: path });
      return { contents: code, loader: 'js' };
    });
  },
};

export async function buildApp(project) {
  const outdir = `${root}dist/${project}`;
  const result = await build({
    entryPoints: [`${root}${project}/src/main.ts`],
    outfile: `${outdir}/main.js`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    keepNames: true,
    tsconfig: `${root}${project}/tsconfig.lib.json`,
    external,
    plugins: [decoratorMetadata],
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).map((path) =>
    path.startsWith(root) ? path.slice(root.length) : path,
  );
  await writeFile(inputsFile(project), `${JSON.stringify(inputs.sort(), undefined, 2)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const projects = args.filter((arg) => !arg.startsWith('--'));
  await buildStale(projects.length > 0 ? projects : APPS, { onlyStale: args.includes('--if-stale') });
}
