import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A `redis-server` of a test's own on a loopback port, which the test may stop and start again. */
export interface RedisProcess {
  /** `redis://127.0.0.1:<port>`; the port stays the same across restarts. */
  url: string;
  /** Kills the server, as a crash would (SIGKILL), and resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty, and resolves once it accepts connections. */
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing is answered, as with a hung Redis. */
  freeze(): void;
  /** Lets a frozen server run again (SIGCONT). */
  thaw(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

function launch(port: number): Promise<ChildProcess> {
  // Nothing saved to disk: the server lives and dies with the test.
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`redis-server exited with ${code} before accepting connections:\n${output}`));
    child.once('error', reject);
    child.once('exit', onExit);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
}

/** Starts a private `redis-server` (the binary must be on the PATH) on a free port. */
export async function startRedisServer(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
    start: async () => {
      if (!child) child = await launch(port);
    },
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
  };
}
