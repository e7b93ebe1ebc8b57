import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ServerReply, ServerRequest, ServerSample, ServerSpec } from './gateway.protocol.js';

// How long any one request may take before the bench gives up, rather than hang CI: a boot of the Nest app takes
// a minute when two cores are shared by a dozen busy processes.
const REQUEST_TIMEOUT_MS = 300_000;

/**
 * A gateway server in a process of its own (gateway.server.ts), driven over IPC one request at a time. With
 * `BENCH_CPU_PROF=<folder>` every server writes V8 CPU profiles to `<folder>/<name>/` when it is stopped.
 */
export class ServerProcess {
  /** The port it listens on, once it does. */
  port = 0;
  private readonly child: ChildProcess;
  private readonly exit: Promise<void>;
  private pending: { resolve: (reply: ServerReply) => void; reject: (error: Error) => void } | undefined;

  private constructor(readonly name: string) {
    const profiles = process.env['BENCH_CPU_PROF'];
    this.child = fork(fileURLToPath(new URL('./gateway.server.ts', import.meta.url)), [name], {
      execArgv: [
        ...process.execArgv,
        '--expose-gc',
        // A folder per server: the module loader's thread writes a profile of its own beside the main thread's
        // (the one whose file name has thread id 0), and a fixed file name would have one overwrite the other.
        ...(profiles ? ['--cpu-prof', `--cpu-prof-dir=${join(profiles, name)}`] : []),
      ],
    });
    this.child.on('message', (reply: ServerReply) => {
      const pending = this.pending;
      this.pending = undefined;
      if (!pending) return;
      if (reply.type === 'error') pending.reject(new Error(`${this.name}: ${reply.message}`));
      else pending.resolve(reply);
    });
    this.exit = new Promise((resolve) =>
      this.child.once('exit', () => {
        this.pending?.reject(new Error(`${this.name}: the server process exited`));
        this.pending = undefined;
        resolve();
      }),
    );
  }

  /** Forks a server and boots it; it listens at once when `spec.port` is set. */
  static async start(name: string, spec: ServerSpec): Promise<ServerProcess> {
    const server = new ServerProcess(name);
    try {
      const reply = await server.request({ type: 'spec', spec });
      if (reply.type === 'listening') server.port = reply.port;
    } catch (error) {
      await server.kill();
      throw error;
    }
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async request(request: ServerRequest): Promise<ServerReply> {
    if (this.pending) throw new Error(`${this.name}: one request at a time`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(new Error(`${this.name}: no answer to ${request.type} in ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      const settle =
        <T>(done: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          done(value);
        };
      this.pending = { resolve: settle(resolve), reject: settle(reject) };
      this.child.send(request);
    });
  }

  /** The server's counters, once it holds exactly `clients` clients (at once when unset). */
  async sample(clients?: number): Promise<ServerSample> {
    const reply = await this.request({ type: 'sample', ...(clients === undefined ? {} : { clients }) });
    if (reply.type !== 'sample') throw new Error(`${this.name}: unexpected ${reply.type}`);
    return reply.sample;
  }

  /** Heap used and RSS after a full garbage collection. */
  async memory(): Promise<{ heapUsed: number; rss: number }> {
    const reply = await this.request({ type: 'memory' });
    if (reply.type !== 'memory') throw new Error(`${this.name}: unexpected ${reply.type}`);
    return reply;
  }

  /** Listens on `port` (a server started without one); resolves with its counters at that moment. */
  async listen(port: number): Promise<ServerSample> {
    const reply = await this.request({ type: 'listen', port });
    if (reply.type !== 'listening') throw new Error(`${this.name}: unexpected ${reply.type}`);
    this.port = reply.port;
    return reply.sample;
  }

  /** Kills the process outright, as a crash would, and waits until it is gone (its port free). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exit;
  }

  /** Closes the server and lets the process exit by itself (so that a CPU profile gets written). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.send({ type: 'stop' } satisfies ServerRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exit;
    clearTimeout(timer);
  }
}
