import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Socket } from 'socket.io-client';

import type { TokenResponse } from '@ioauth/contracts';
import { connectSocket, refusedConnect } from '@ioauth/testing';

import { run, type Finished } from './child-process.js';
import { startConsumerApp, type ConsumerApp } from './consumer-app.js';
import { createConsumerFolder, type ConsumerFolder } from './consumer-project.js';
import { findTarballs, REQUIRED_PACKAGES } from './tarballs.js';
import { timed } from './timed.js';

// ioauth as a team outside this repository gets it: the packed tarballs installed with npm into a fresh folder
// holding a Nest app, a browser script and a Jest suite of that team's own, each built and run by its own tools.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../consumer/', import.meta.url));
const PACKAGES = join(ROOT, 'dist/packages');
const MINUTE = 60_000;
// The account the consumer's ReaderSeeder creates at start: scope chat:read only.
const READER = { username: 'reader', password: 'reader-password-for-e2e' };

const tarballs = findTarballs(PACKAGES);
const ci = process.env['CI'] === 'true';
if (tarballs.length === 0 && !ci)
  process.stdout.write(
    'packages-e2e skipped: no tarballs in dist/packages/; run `npm run build && npm run pack` first\n',
  );
const suite = tarballs.length > 0 || ci ? describe : describe.skip;

const output = ({ stdout, stderr }: Finished) => `${stdout}${stderr}`;
const lines = (text: string, pattern: RegExp) => text.split('\n').filter((line) => pattern.test(line));
const tsc = ['node_modules/typescript/bin/tsc', '-p'];

interface Metafile {
  inputs: Record<string, { imports: { path: string; original?: string }[] }>;
  outputs: Record<string, { bytes: number }>;
}

/** Every import of a bundle's inputs that names a Node built-in, `node:` prefixed or not. */
function nodeBuiltinImports(meta: Metafile): string[] {
  const builtins = new Set(builtinModules);
  return Object.entries(meta.inputs).flatMap(([input, { imports }]) =>
    imports
      .map(({ original, path }) => original ?? path)
      .filter((specifier) => specifier.startsWith('node:') || builtins.has(specifier.split('/')[0] ?? ''))
      .map((specifier) => `${input} imports ${specifier}`),
  );
}

interface Builds {
  app: Finished;
  browserTypes: Finished;
  libCheck: Finished;
  bundle: Finished;
}

suite('the published packages, installed in an app outside the workspace', () => {
  let folder: ConsumerFolder | undefined;
  let install: Finished;
  let built: Builds;
  let meta: Metafile;
  const dir = () => {
    if (!folder) throw new Error('the consumer folder was not created');
    return folder.dir;
  };
  const inConsumer = (args: string[], timeoutMs: number) =>
    run(process.execPath, args, { cwd: dir(), timeoutMs });

  beforeAll(async () => {
    if (tarballs.length === 0)
      throw new Error('no tarballs in dist/packages/: run `npm run build && npm run pack` before `npm test`');
    const missing = REQUIRED_PACKAGES.filter((name) => !tarballs.some((tarball) => tarball.name === name));
    if (missing.length > 0) throw new Error(`dist/packages/ has no tarball of ${missing.join(', ')}`);
    folder = await timed('copying the consumer', () => createConsumerFolder(FIXTURE, tarballs, ROOT));
    install = await timed('npm install', () =>
      run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
        cwd: dir(),
        timeoutMs: 6 * MINUTE,
      }),
    );
    if (install.code !== 0) throw new Error(`npm install failed in ${dir()}:\n${output(install)}`);
    const app = await timed('tsc (app and tests)', () => inConsumer([...tsc, 'tsconfig.json'], 3 * MINUTE));
    const browserTypes = await timed('tsc (browser script)', () =>
      inConsumer([...tsc, 'tsconfig.browser.json'], 3 * MINUTE),
    );
    const libCheck = await timed('tsc (declarations checked)', () =>
      inConsumer([...tsc, 'tsconfig.json', '--noEmit', '--skipLibCheck', 'false'], 3 * MINUTE),
    );
    const bundle = await timed('esbuild (browser bundles)', () =>
      inConsumer(['build-browser.mjs'], 2 * MINUTE),
    );
    built = { app, browserTypes, libCheck, bundle };
    if (bundle.code === 0)
      meta = JSON.parse(await readFile(join(dir(), 'dist/browser/meta.json'), 'utf8')) as Metafile;
  }, 20 * MINUTE);

  afterAll(async () => {
    await folder?.remove();
  }, 2 * MINUTE);

  describe('npm install', () => {
    it('resolves every dependency and peer dependency without a warning about peers or engines', () => {
      expect(lines(install.stderr, /ERESOLVE|EBADENGINE|\bpeer\b/i)).toEqual([]);
    });

    it(
      'loads every installed package in Node',
      async () => {
        const names = JSON.stringify(tarballs.map(({ name }) => name));
        const loaded = await inConsumer(
          [
            '--input-type=module',
            '--eval',
            `const failed = {};
          for (const name of ${names}) await import(name).catch((error) => (failed[name] = error.message));
          process.stdout.write(JSON.stringify(failed));`,
          ],
          MINUTE,
        );
        expect({ code: loaded.code, failed: JSON.parse(loaded.stdout || '{}') as unknown }).toEqual({
          code: 0,
          failed: {},
        });
      },
      2 * MINUTE,
    );
  });

  describe("the consumer's tsc", () => {
    it('compiles the app and its tests strictly, with decorator metadata', () => {
      expect({ code: built.app.code, output: output(built.app) }).toEqual({ code: 0, output: '' });
    });

    it('type-checks the browser script with the DOM library and no Node types', () => {
      expect({ code: built.browserTypes.code, output: output(built.browserTypes) }).toEqual({
        code: 0,
        output: '',
      });
    });

    // Errors inside other packages' declarations (PGlite's need Emscripten's types) are theirs to fix; a Nest app
    // skips them with skipLibCheck, as the consumer's tsconfig does. ioauth's own must hold without it.
    it("finds no error in the @ioauth packages' declarations with library checks on", () => {
      expect(lines(built.libCheck.stdout, /^(node_modules\/@ioauth\/|src\/|test\/)/)).toEqual([]);
    });
  });

  describe('the browser bundle of @ioauth/client', () => {
    it('builds for the browser with no Node built-in among its inputs', () => {
      expect({ code: built.bundle.code, output: output(built.bundle) }).toEqual({ code: 0, output: '' });
      expect(Object.keys(meta.inputs)).toContain('node_modules/@ioauth/client/index.js');
      expect(nodeBuiltinImports(meta)).toEqual([]);
    });

    it('leaves almost nothing of an import of the SDK that uses none of it (side-effect free)', () => {
      expect(meta.outputs['dist/browser/client-import.js']?.bytes).toBeLessThan(100);
    });
  });

  describe('the consumer app, running', () => {
    let app: ConsumerApp | undefined;
    let socket: Socket | undefined;

    const login = async (): Promise<Response> =>
      fetch(`${app?.url}/auth/login`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${READER.username}:${READER.password}`).toString('base64')}`,
        },
      });
    const accessToken = async () => ((await (await login()).json()) as TokenResponse).access_token;

    beforeAll(async () => {
      app = await timed('starting the consumer app', () =>
        startConsumerApp(dir(), { DATA_DIR: join(dir(), 'data') }, 3 * MINUTE),
      );
    }, 4 * MINUTE);

    afterEach(() => {
      socket?.close();
      socket = undefined;
    });

    afterAll(async () => {
      await app?.stop();
    }, MINUTE);

    it('logs the user its start-up created in with HTTP Basic: 200 and a token response', async () => {
      const response = await login();
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: expect.any(Number),
        refresh_token: expect.any(String),
        scope: 'chat:read',
      });
    });

    it('answers readiness and metrics through ObservabilityModule', async () => {
      const ready = await fetch(`${app?.url}/health/ready`);
      expect(ready.status).toBe(200);
      const metrics = await fetch(`${app?.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('ioauth_logins_total');
    });

    it('connects a socket with the access token', async () => {
      socket = await connectSocket(`${app?.url}/`, { auth: { token: await accessToken() } });
      expect(socket.connected).toBe(true);
    });

    it("refuses its own gateway's chat:send without chat:write with forbidden", async () => {
      socket = await connectSocket(`${app?.url}/`, { auth: { token: await accessToken() } });
      await expect(socket.timeout(5_000).emitWithAck('chat:send', { text: 'hello' })).resolves.toEqual({
        error: { code: 'forbidden', message: expect.any(String) },
      });
    });

    it('refuses the handshake of a token it cannot verify with token_invalid', async () => {
      await expect(refusedConnect(`${app?.url}/`, { auth: { token: 'not.a.token' } })).resolves.toEqual({
        code: 'token_invalid',
        message: expect.any(String),
      });
    });

    it(
      'serves the browser bundle run under Node: logged in, connected, chat:send refused',
      async () => {
        const page = await timed('running the browser bundle', () =>
          inConsumer(
            [
              '--experimental-websocket',
              '--import',
              './node-location.mjs',
              'dist/browser/app.js',
              `${app?.url}/`,
            ],
            MINUTE,
          ),
        );
        expect({ code: page.code, stderr: page.code === 0 ? '' : page.stderr }).toEqual({
          code: 0,
          stderr: '',
        });
        const steps = lines(page.stdout, /^\{/).map((line) => JSON.parse(line) as unknown);
        expect(steps).toEqual([
          { step: 'logged in', scope: 'chat:read', tokenType: 'Bearer' },
          { step: 'connected' },
          { step: 'sent', result: { error: { code: 'forbidden', message: expect.any(String) } } },
        ]);
      },
      2 * MINUTE,
    );
  });

  describe("the consumer's own Jest suite on @ioauth/testing", () => {
    it(
      'passes, running at least two tests',
      async () => {
        const tests = await timed("the consumer's jest", () =>
          inConsumer(
            [
              '--experimental-vm-modules',
              'node_modules/jest/bin/jest.js',
              '--ci',
              '--json',
              '--outputFile=jest.json',
            ],
            3 * MINUTE,
          ),
        );
        expect({ code: tests.code, output: tests.code === 0 ? '' : output(tests) }).toEqual({
          code: 0,
          output: '',
        });
        const results = JSON.parse(await readFile(join(dir(), 'jest.json'), 'utf8')) as {
          numTotalTests: number;
          numPassedTests: number;
        };
        expect(results.numTotalTests).toBeGreaterThanOrEqual(2);
        expect(results.numPassedTests).toBe(results.numTotalTests);
      },
      4 * MINUTE,
    );
  });
});
