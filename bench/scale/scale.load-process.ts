import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type {
  LoadReply,
  LoadRequest,
  LoadStats,
  MintSpec,
  OpenRequest,
  SocketRef,
} from './scale.protocol.js';

// Longer than any step of a full run: opening 12,500 sockets per process, 100,000 in all, on two shared cores
// takes several minutes.
const REQUEST_TIMEOUT_MS = 1_800_000;

/** A load process (scale.load.ts) with its own loopback source address, driven over IPC one request at a time. */
export class LoadProcess {
  private readonly child: ChildProcess;
  private readonly exit: Promise<void>;
  private pending: { resolve: (reply: LoadReply) => void; reject: (error: Error) => void } | undefined;
  private readonly ready: Promise<LoadReply>;

  private constructor(
    readonly name: string,
    readonly localAddress: string,
    mint: MintSpec,
  ) {
    this.child = fork(
      fileURLToPath(new URL('./scale.load.ts', import.meta.url)),
      [name, localAddress, JSON.stringify(mint)],
      { execArgv: [...process.execArgv] },
    );
    this.ready = this.next();
    this.child.on('message', (reply: LoadReply) => {
      const pending = this.pending;
      this.pending = undefined;
      if (!pending) return;
      if (reply.type === 'error') pending.reject(new Error(reply.message));
      else pending.resolve(reply);
    });
    this.exit = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.pending?.reject(new Error(`${name}: the load process exited (${signal ?? code})`));
        this.pending = undefined;
        resolve();
      }),
    );
  }

  static async start(name: string, localAddress: string, mint: MintSpec): Promise<LoadProcess> {
    const load = new LoadProcess(name, localAddress, mint);
    await load.ready;
    return load;
  }

  private next(): Promise<LoadReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(new Error(`${this.name}: no answer in ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      this.pending = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  async request<T extends LoadReply['type']>(
    request: LoadRequest,
    expect: T,
  ): Promise<LoadReply & { type: T }> {
    if (this.pending) throw new Error(`${this.name}: one request at a time`);
    const reply = this.next();
    this.child.send(request);
    const answer = await reply;
    if (answer.type !== expect) throw new Error(`${this.name}: ${answer.type} where ${expect} was expected`);
    return answer as LoadReply & { type: T };
  }

  /** Opens sockets and keeps them; resolves with the time it took. */
  async open(request: Omit<OpenRequest, 'type'>): Promise<number> {
    return (await this.request({ type: 'open', ...request }, 'opened')).ms;
  }

  async stats(): Promise<LoadStats> {
    return (await this.request({ type: 'stats' }, 'stats')).stats;
  }

  async refs(indexes?: number[]): Promise<SocketRef[]> {
    return (await this.request({ type: 'refs', ...(indexes ? { indexes } : {}) }, 'refs')).refs;
  }

  /** Monotonic time at which the last socket reached `until`. */
  async wait(until: 'connected' | 'disconnected' | 'refreshed', timeoutMs: number): Promise<number> {
    return (await this.request({ type: 'wait', until, timeoutMs }, 'at')).at;
  }

  async mark(): Promise<void> {
    await this.request({ type: 'mark' }, 'done');
  }

  /** Monotonic time at which the last connected socket heard broadcast `seq`. */
  async heard(seq: number, timeoutMs: number): Promise<number> {
    return (await this.request({ type: 'broadcast', seq, timeoutMs }, 'at')).at;
  }

  async closedAt(indexes: number[], timeoutMs: number): Promise<number[]> {
    return (await this.request({ type: 'closed-at', indexes, timeoutMs }, 'times')).at;
  }

  async pingAll(timeoutMs: number): Promise<void> {
    await this.request({ type: 'ping-all', timeoutMs }, 'done');
  }

  async close(): Promise<void> {
    await this.request({ type: 'close' }, 'done');
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exit;
  }
}
