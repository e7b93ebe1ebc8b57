import { performance } from 'node:perf_hooks';

import type { ServerSpec, ServerWindow } from '../gateway.protocol.js';
import { ServerProcess } from '../gateway.server-process.js';
import { benchKey, type BenchKey } from '../gateway.tokens.js';
import { round, type BenchResult } from '../harness.js';
import type { ScalePlan } from './scale.plan.js';
import type { LoadStats, MintSpec } from './scale.protocol.js';

/** A condition bench:scale holds itself to (no socket lost, none refused): a failed one fails the run. */
export interface ScaleCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** The stacks bench:scale compares: bare socket.io (the limit), the Nest app without ioauth, and ioauth. */
export type ScaleMode = 'socket.io' | 'nest' | 'ioauth';

/** What every step of bench:scale shares: the plan, the key, the services, and what it found. */
export class ScaleContext {
  readonly results: BenchResult[] = [];
  readonly checks: ScaleCheck[] = [];
  /** Figures that have no baseline of their own (counts, extrapolations), by name. */
  readonly facts: Record<string, number | string> = {};

  private constructor(
    readonly plan: ScalePlan,
    readonly key: BenchKey,
    readonly redisUrl: string,
    readonly postgresUrl: string | undefined,
  ) {}

  static async create(plan: ScalePlan, redisUrl: string, postgresUrl?: string): Promise<ScaleContext> {
    return new ScaleContext(plan, await benchKey('HS256'), redisUrl, postgresUrl);
  }

  get mint(): MintSpec {
    return { secret: this.key.ioauth, kid: this.key.kid };
  }

  /** A server of `mode`, as the gateway bench specifies its stacks; ioauth's `ping` behind `WsJwtGuard`. */
  spec(mode: ScaleMode, extra: Partial<ServerSpec> = {}): ServerSpec {
    const stack = mode;
    return { stack, algorithm: 'HS256', key: this.key.ioauth, guarded: mode === 'ioauth', port: 0, ...extra };
  }

  /** Records figures, and logs each as it comes: a long run shows what it found so far. */
  add(...results: BenchResult[]): void {
    for (const result of results) {
      this.results.push(result);
      log(
        `     ${result.name}: ${result.value} ${result.unit} against ${result.baseline} (${result.ratio}x)`,
      );
    }
  }

  check(name: string, ok: boolean, detail: string): void {
    this.checks.push({ name, ok, detail });
    log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  }

  /** No socket lost nor refused: all `expected` held and connected, none disconnected, refused or unauthorized. */
  checkHeld(name: string, stats: LoadStats, expected: number): void {
    const ok =
      stats.held === expected &&
      stats.connected === expected &&
      stats.disconnects === 0 &&
      stats.refusals === 0 &&
      stats.unauthorized === 0;
    this.check(name, ok, describe(stats));
  }

  fact(name: string, value: number | string): void {
    this.facts[name] = typeof value === 'number' ? round(value, 2) : value;
    log(`     ${name}: ${this.facts[name]}`);
  }
}

export function describe(stats: LoadStats): string {
  const codes = (counts: Record<string, number>) =>
    Object.keys(counts).length === 0 ? '' : ` ${JSON.stringify(counts)}`;
  return (
    `${stats.connected}/${stats.held} connected, ${stats.disconnects} disconnects, ${stats.reconnects} reconnects, ` +
    `${stats.refusals} refused${codes(stats.refusalCodes)}, ${stats.retries} handshakes retried, ` +
    `${stats.unauthorized} unauthorized, ` +
    `${stats.expiring} expiring, ${stats.refreshed} refreshed, auth:error${codes(stats.authErrors) || ' none'}`
  );
}

export const log = (...line: unknown[]) => console.error('scale:', ...line);

/** Runs a step, logging its duration. */
export async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  log(`${what}...`);
  const result = await work();
  log(`${what} done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `count` servers of one spec, a few at a time: boots compete for two cores. */
export async function startServers(name: string, count: number, spec: ServerSpec): Promise<ServerProcess[]> {
  const servers: ServerProcess[] = [];
  try {
    for (let i = 0; i < count; i += 3) {
      const batch = Array.from({ length: Math.min(3, count - i) }, (_, j) =>
        ServerProcess.start(`${name}.${i + j}`, spec),
      );
      servers.push(...(await Promise.all(batch)));
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.kill()));
    throw error;
  }
  return servers;
}

export async function windowStart(servers: readonly ServerProcess[]): Promise<void> {
  await Promise.all(servers.map((server) => server.request({ type: 'window-start' })));
}

export async function windowEnd(servers: readonly ServerProcess[]): Promise<ServerWindow[]> {
  return Promise.all(
    servers.map(async (server) => {
      const reply = await server.request({ type: 'window-end' });
      if (reply.type !== 'window') throw new Error(`${server.name}: unexpected ${reply.type}`);
      return reply.window;
    }),
  );
}

/** CPU and lag of servers over `ms` of doing nothing. */
export async function idle(servers: readonly ServerProcess[], ms: number): Promise<ServerWindow[]> {
  await windowStart(servers);
  await sleep(ms);
  return windowEnd(servers);
}

export async function done(
  server: ServerProcess,
  request: Parameters<ServerProcess['request']>[0],
): Promise<void> {
  const reply = await server.request(request);
  if (reply.type !== 'done') throw new Error(`${server.name}: unexpected ${reply.type}`);
}
