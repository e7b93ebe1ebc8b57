import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

const POLL_MS = 10;
const GIVE_UP_MS = 60_000;

async function answersReady(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/**
 * Milliseconds from spawning `node <bundle>` until its `/health/ready` answers 200, polled every 10 ms; the process
 * is stopped (SIGTERM, as an operator would) before this resolves.
 * @throws Error with the process's output when it exits or is not ready within a minute.
 */
export async function timeToReady(bundle: string, env: NodeJS.ProcessEnv): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [bundle], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  try {
    const url = `http://127.0.0.1:${port}/health/ready`;
    while (!(await answersReady(url))) {
      if (child.exitCode !== null) throw new Error(`${bundle} exited before it was ready:\n${errors}`);
      if (performance.now() - started > GIVE_UP_MS)
        throw new Error(`${bundle} was not ready within a minute`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return performance.now() - started;
  } finally {
    await stop(child);
  }
}

/**
 * Milliseconds a command of a compiled CLI takes from spawn to exit.
 * @throws Error with its output when it exits with another status than 0.
 */
export async function timeToExit(bundle: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [bundle, ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${bundle} ${args.join(' ')} failed:\n${errors}`);
  return performance.now() - started;
}
