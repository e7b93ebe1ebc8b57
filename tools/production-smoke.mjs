// Proves that the compiled apps run on production dependencies alone (contract v2, "Running it"): copies the built
// tree (package.json, lockfile, dist/apps, dist/demo-web, dist/pglite) into a fresh folder, installs it with
// `npm ci --omit=dev`, starts `node dist/apps/server/main.js` there, logs in over HTTP, connects a socket.io client
// with the token, then runs a CLI command on the data it left. `.ci/run` runs it after `npm run build`.
import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));
const run = promisify(execFile);
const step = (text) => process.stdout.write(`production smoke: ${text}\n`);

const folder = await mkdtemp(join(tmpdir(), 'ioauth-production-'));
let server;
try {
  for (const path of ['package.json', 'package-lock.json', 'dist/apps', 'dist/demo-web', 'dist/pglite'])
    await cp(join(root, path), join(folder, path), { recursive: true });
  const started = performance.now();
  await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: folder });
  step(`npm ci --omit=dev in ${Math.round(performance.now() - started)} ms`);

  const env = { ...process.env, PORT: '0', IOAUTH_DEMO: 'true', IOAUTH_DATA_DIR: join(folder, 'data') };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  server = spawn(process.execPath, ['dist/apps/server/main.js'], { cwd: folder, env, stdio: 'pipe' });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "serving on" within 60 s:\n${output}`)), 60_000);
    const read = (chunk) => {
      output += chunk.toString();
      const match = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.stdout.on('data', read);
    server.stderr.on('data', read);
    server.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
  });
  step(`server listening on ${url}`);

  const login = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('alice:alice-password').toString('base64')}` },
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  const { access_token: token } = await login.json();
  step('alice logged in');

  // The socket.io client the installed tree holds (a production dependency), not this repository's.
  const { io } = createRequire(join(folder, 'package.json'))('socket.io-client');
  const socket = io(`${url}/`, { auth: { token }, transports: ['websocket'], reconnection: false });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (error) =>
      reject(new Error(`connect_error ${error.data?.code ?? error.message}`)),
    );
  });
  socket.close();
  step('socket connected with the access token');

  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  server = undefined;
  const { stdout } = await run(process.execPath, ['dist/apps/cli/main.js', 'users', 'list'], {
    cwd: folder,
    env,
  });
  if (!stdout.includes('alice')) throw new Error(`users list printed no alice:\n${stdout}`);
  step('the CLI lists the users');
} finally {
  server?.kill('SIGKILL');
  await rm(folder, { recursive: true, force: true });
}
