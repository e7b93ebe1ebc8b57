import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A real app process (`npm start`'s server by default) on a free port, with its own data folder and captured output. */
export interface ServerProcess {
  url: string;
  /** Everything the process printed so far, stdout and stderr. */
  output(): string;
  /**
   * Sends SIGTERM and waits for the exit; a process still running 30 s later is killed and the call rejects with
   * its output, so that a shutdown that hangs fails its suite instead of holding up the whole run.
   */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 30_000;

/**
 * The compiled app of a project, as `npm run build` makes it and production runs it; the e2e suites' global setup
 * (`tools/jest/build-apps.setup.mjs`) rebuilds any whose sources changed.
 */
const compiled = (project: string) => join(ROOT, 'dist', project, 'main.js');

/** Runs `npm run ioauth -- <args>` (the CLI) with `input` on its standard input. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  input = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [compiled('apps/cli'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A CLI that stops reading early (an input over its limit) closes the pipe: the write's EPIPE is its answer.
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

// An app of this repository by name (`server`, `gateway`, ...), or the folder of one elsewhere in the workspace.
const projectOf = (app: string) => (app.includes('/') ? app : `apps/${app}`);

function run(
  env: Record<string, string>,
  app = 'server',
): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [compiled(projectOf(app))], {
    cwd: ROOT,
    // The server as `npm start` runs it: demo mode unless the test says otherwise.
    env: { ...process.env, NODE_OPTIONS: '', ...(app === 'server' ? { IOAUTH_DEMO: 'true' } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/**
 * Starts an app (`server`, the one of `npm start`, by default; or a project folder such as
 * `examples/enterprise-app`) and resolves once it logs `serving on <url>`; rejects with its output if it exits first. It gets a data folder
 * of its own, removed when it stops, unless `IOAUTH_DATA_DIR` is given.
 */
export async function startServer(env: Record<string, string> = {}, app = 'server'): Promise<ServerProcess> {
  const ownDataDir = env['IOAUTH_DATA_DIR'] === undefined;
  const dataDir = env['IOAUTH_DATA_DIR'] ?? (await mkdtemp(join(tmpdir(), 'ioauth-e2e-')));
  const { child, output, exited } = run({ PORT: '0', ...env, IOAUTH_DATA_DIR: dataDir }, app);
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
      if (match?.[1]) {
        child.stdout?.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`server exited with ${code} before listening:\n${output()}`)),
    );
  });
  return {
    url,
    output,
    stop: async () => {
      child.kill('SIGTERM');
      let timer: ReturnType<typeof setTimeout> | undefined;
      const inTime = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
      if (!inTime) {
        child.kill('SIGKILL');
        await exited;
      }
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
      if (!inTime)
        throw new Error(
          `the server did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM:\n${output()}`,
        );
    },
  };
}

/** Runs the server expecting it to refuse to start; resolves with its exit code and output. */
/**
 * Waits until every server answers `GET /health/ready` with 200, as after its Redis came back: clients reconnect on
 * their own schedule.
 */
export async function untilReady(...servers: ServerProcess[]): Promise<void> {
  for (const server of servers) {
    for (;;) {
      const response = await fetch(`${server.url}/health/ready`);
      await response.body?.cancel();
      if (response.status === 200) break;
      await delay(50); // the polling interval, not a wait for the outcome
    }
  }
}

export async function failedStart(
  env: Record<string, string>,
  app = 'server',
): Promise<{ code: number | null; output: string }> {
  const { output, exited } = run(
    { PORT: '0', IOAUTH_DATA_DIR: join(tmpdir(), 'ioauth-e2e-never'), ...env },
    app,
  );
  const code = await exited;
  return { code, output: output() };
}
