import { LoadProcess } from './scale.load-process.js';
import type { ClientKind, LoadStats, MintSpec, SocketRef, TokenPlan } from './scale.protocol.js';

/**
 * The load processes of one step, each with its own loopback source address (127.0.0.2, 127.0.0.3, ...): Linux
 * gives each source address its own ~28,000 ephemeral ports, so 100,000 sockets need several.
 */
export class Fleet {
  private constructor(readonly loads: readonly LoadProcess[]) {}

  static async start(name: string, size: number, mint: MintSpec): Promise<Fleet> {
    const loads = await Promise.all(
      Array.from({ length: size }, (_, i) => LoadProcess.start(`${name}.load${i}`, `127.0.0.${2 + i}`, mint)),
    );
    return new Fleet(loads);
  }

  /** Opens `total` sockets over the fleet (dealt round-robin over `urls` by each load process), all at once. */
  async open(
    urls: string[],
    total: number,
    client: ClientKind,
    tokens: TokenPlan,
    inFlight: number,
  ): Promise<void> {
    await Promise.all(
      this.loads.map((load, i) =>
        load.open({ urls, count: share(total, this.loads.length, i), client, tokens, inFlight }),
      ),
    );
  }

  async stats(): Promise<LoadStats> {
    const all = await Promise.all(this.loads.map((load) => load.stats()));
    return all.reduce(sum);
  }

  /** Monotonic time at which the last socket of the fleet reached `until`. */
  async wait(until: 'connected' | 'disconnected' | 'refreshed', timeoutMs: number): Promise<number> {
    return Math.max(...(await Promise.all(this.loads.map((load) => load.wait(until, timeoutMs)))));
  }

  async mark(): Promise<void> {
    await Promise.all(this.loads.map((load) => load.mark()));
  }

  /** Monotonic time at which the last connected socket heard broadcast `seq`. */
  async heard(seq: number, timeoutMs: number): Promise<number> {
    return Math.max(...(await Promise.all(this.loads.map((load) => load.heard(seq, timeoutMs)))));
  }

  /** Every socket with the load process that holds it. */
  async refs(): Promise<{ load: LoadProcess; ref: SocketRef }[]> {
    const all = await Promise.all(
      this.loads.map(async (load) => (await load.refs()).map((ref) => ({ load, ref }))),
    );
    return all.flat();
  }

  async pingAll(timeoutMs: number): Promise<void> {
    await Promise.all(this.loads.map((load) => load.pingAll(timeoutMs)));
  }

  async close(): Promise<void> {
    await Promise.all(this.loads.map((load) => load.close()));
  }

  async kill(): Promise<void> {
    await Promise.all(this.loads.map((load) => load.kill()));
  }
}

/** The i-th of `parts` near-equal shares of `total`. */
export const share = (total: number, parts: number, i: number) =>
  Math.floor(total / parts) + (i < total % parts ? 1 : 0);

function sum(a: LoadStats, b: LoadStats): LoadStats {
  const merge = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [code, n] of Object.entries(y)) out[code] = (out[code] ?? 0) + n;
    return out;
  };
  return {
    held: a.held + b.held,
    connected: a.connected + b.connected,
    reconnects: a.reconnects + b.reconnects,
    disconnects: a.disconnects + b.disconnects,
    refusals: a.refusals + b.refusals,
    refusalCodes: merge(a.refusalCodes, b.refusalCodes),
    retries: a.retries + b.retries,
    cpu: a.cpu + b.cpu,
    expiring: a.expiring + b.expiring,
    refreshed: a.refreshed + b.refreshed,
    unauthorized: a.unauthorized + b.unauthorized,
    authErrors: merge(a.authErrors, b.authErrors),
  };
}
