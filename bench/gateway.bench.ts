import { performance } from 'node:perf_hooks';

import type { Socket } from 'socket.io-client';

import {
  closeAll,
  connect,
  everyOne,
  handshakes,
  openSockets,
  pings,
  refusals,
  type AuthFor,
} from './gateway.client.js';
import type { GatewayAlgorithm, ServerSpec } from './gateway.protocol.js';
import { revocationBench, type RevocationPlan } from './gateway.revocation.js';
import { catchUpBench, type CatchUpPlan } from './revocation-catch-up.js';
import { ServerProcess } from './gateway.server-process.js';
import { benchKey, mintTokens, type BenchKey } from './gateway.tokens.js';
import { figure, interleaved, median, percentile, round, type BenchResult, type Target } from './harness.js';

/** How much the gateway bench does; `--quick` cuts every count, to check the harness rather than to measure. */
export interface GatewayPlan {
  /** Measured runs of every mode, after one warm-up round. */
  runs: number;
  /** Wall time of one run of handshakes, or of events, of one mode. */
  sliceMs: number;
  /** Handshakes in flight at once. */
  inFlight: number;
  /**
   * Handshakes of each mode's warm-up round. With 300 a server's CPU per handshake still fell by half over the 21
   * runs that followed (the JIT and the heap settling), and each mode settles at its own pace: a median over that
   * slope measured the warm-up, not the handshake.
   */
  warmUpHandshakes: number;
  /** Idle sockets opened per run (and kept) to weigh one, and the runs of that measure. */
  idleSockets: number;
  memoryRuns: number;
  /** Clients of the reconnect storm, and how many storms per mode. */
  stormClients: number;
  stormRuns: number;
  /** Revocations across two processes over Redis (with `IOAUTH_BENCH_REDIS_URL`). */
  revocation: RevocationPlan;
  /** Revocations missed on the bus and caught up from PostgreSQL (with `IOAUTH_BENCH_POSTGRES_URL`). */
  catchUp: CatchUpPlan;
}

export const GATEWAY_PLAN: GatewayPlan = {
  runs: 21,
  sliceMs: 200,
  inFlight: 16,
  warmUpHandshakes: 3000,
  idleSockets: 500,
  memoryRuns: 5,
  stormClients: 500,
  stormRuns: 5,
  revocation: { runs: 21, perRun: 20 },
  catchUp: { runs: 21 },
};

export const QUICK_GATEWAY_PLAN: GatewayPlan = {
  runs: 2,
  sliceMs: 100,
  inFlight: 16,
  warmUpHandshakes: 50,
  idleSockets: 100,
  memoryRuns: 1,
  stormClients: 40,
  stormRuns: 1,
  revocation: { runs: 2, perRun: 5 },
  catchUp: { runs: 2 },
};

// `BENCH_VERBOSE=1`: each step and its duration on stderr, to see where a slow or stuck run spends its time.
const verbose = process.env['BENCH_VERBOSE']
  ? (...line: unknown[]) => console.error(...line)
  : () => undefined;

async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  const figures =
    result instanceof ServerProcess
      ? ''
      : JSON.stringify(result, (_key, value: unknown) =>
          Array.isArray(value) ? `[${value.length}]` : typeof value === 'number' ? round(value, 1) : value,
        );
  verbose(`gateway: ${what} in ${Math.round(performance.now() - start)} ms ${figures}`);
  return result;
}

const logged =
  <T>(bench: string, measure: (mode: string, run: number) => Promise<T>) =>
  (mode: string, run: number) =>
    step(`${bench} ${mode} run ${run}`, () => measure(mode, run));

const ALGORITHMS: readonly GatewayAlgorithm[] = ['HS256', 'ES256'];
const PEER = '@thream/socketio-jwt';
const NEST = 'Nest with the plain IoAdapter';
// Distinct tokens per algorithm, used round-robin by every connection of the bench.
const TOKEN_POOL = 3000;
// The revocation bench's own: each of them is revoked once.
const REVOCATION_TOKENS = 1000;
// Issue 5 item 5: server CPU per handshake against no authentication at all.
const HANDSHAKE_CPU_TARGET: Record<GatewayAlgorithm, number> = { HS256: 1.1, ES256: 1.25 };
// The storm's modes: the successors of their long-lived servers are booted with them, before anything is measured.
const STORM_MODES: readonly string[] = ['socket.io', 'ioauth.HS256'];

const BOOTS_AT_ONCE = 4;

type Tokens = Record<GatewayAlgorithm, string[]>;

/** Runs the tasks given to it at most `size` at a time. */
function limiter(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running < size) running += 1;
    // A finished task hands its slot straight to the next one waiting.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/**
 * The long-lived servers: one process per mode. The storm's modes keep their port across restarts, so they take
 * one no reconnecting client can take from them.
 */
function specs(keys: Record<GatewayAlgorithm, BenchKey>): Record<string, ServerSpec> {
  const ioauth = (algorithm: GatewayAlgorithm, guarded: boolean): ServerSpec => ({
    stack: 'ioauth',
    algorithm,
    key: keys[algorithm].ioauth,
    guarded,
    port: algorithm === 'HS256' && guarded ? 'stable' : 0,
  });
  const thream = (algorithm: GatewayAlgorithm): ServerSpec => ({
    stack: 'thream',
    algorithm,
    key: keys[algorithm].thream,
    guarded: false,
    port: 0,
  });
  return {
    'socket.io': { stack: 'socket.io', algorithm: 'HS256', key: '', guarded: false, port: 'stable' },
    nest: { stack: 'nest', algorithm: 'HS256', key: keys.HS256.ioauth, guarded: false, port: 0 },
    'thream.HS256': thream('HS256'),
    'ioauth.HS256': ioauth('HS256', true),
    'thream.ES256': thream('ES256'),
    'ioauth.ES256': ioauth('ES256', true),
    'ioauth.open': ioauth('HS256', false),
  };
}

/**
 * Every server is sent the same bytes: a token of the algorithm under test (the unauthenticated ones ignore it), as
 * `Bearer <token>` for `@thream/socketio-jwt`, which reads only that form from `auth.token`.
 */
function authFor(mode: string, tokens: Tokens): AuthFor {
  const algorithm: GatewayAlgorithm = mode.endsWith('ES256') ? 'ES256' : 'HS256';
  const pool = tokens[algorithm];
  const token = (i: number) => pool[i % pool.length] as string;
  return mode.startsWith('thream') ? (i) => ({ token: `Bearer ${token(i)}` }) : (i) => ({ token: token(i) });
}

/** The tokens of `auth` one after another across calls, whatever index each call gives. */
function rotating(auth: AuthFor): AuthFor {
  let next = 0;
  return () => auth(next++);
}

/**
 * A figure from the runs of two modes: the median of each, and as the ratio the median of the per-run ratios. Both
 * modes of a run are measured within seconds of each other, so a change of the machine's load between runs (other
 * tenants on two shared cores) cancels out of the ratio, where a ratio of medians would keep it.
 */
function compare<S>(
  name: string,
  unit: string,
  samples: Map<string, S[]>,
  [mode, baselineMode]: [string, string],
  pick: (sample: S) => number,
  options: { target?: Target; digits?: number } = {},
): BenchResult {
  const values = (samples.get(mode) as S[]).map(pick);
  const baselines = (samples.get(baselineMode) as S[]).map(pick);
  const ratios = values.map((value, run) => value / (baselines[run] as number));
  return figure(name, unit, median(values), median(baselines), { ...options, ratio: median(ratios) });
}

interface HandshakeSample {
  rate: number;
  cpuPerHandshake: number;
  latencies: number[];
}

/**
 * Authenticated handshakes: ioauth (WsAuthModule + IoauthIoAdapter) against bare socket.io (the limit), against
 * socket.io with `@thream/socketio-jwt` and the same key, and against the Nest app without ioauth (what Nest alone
 * costs). Server CPU per handshake is the steady figure: the client shares the two cores.
 */
async function handshakeBench(
  plan: GatewayPlan,
  servers: Map<string, ServerProcess>,
  tokens: Tokens,
): Promise<BenchResult[]> {
  const modes = ['socket.io', 'nest', ...ALGORITHMS.flatMap((alg) => [`thream.${alg}`, `ioauth.${alg}`])];
  // Each handshake brings the next token of the pool, across runs: a verifier never sees one twice in a row.
  const auths = new Map(modes.map((mode) => [mode, rotating(authFor(mode, tokens))]));
  const samples = await interleaved(
    modes,
    plan.runs,
    logged('handshakes', async (mode, run): Promise<HandshakeSample> => {
      const server = servers.get(mode) as ServerProcess;
      const before = await server.sample(0);
      // The warm-up round runs a number of handshakes rather than a time: on a busy machine a slice holds too few
      // for the JIT to have compiled the handshake path of every library.
      const slice = run < 0 ? { sliceMs: 0, atLeast: plan.warmUpHandshakes } : { sliceMs: plan.sliceMs };
      const { count, latencies, wallMs } = await handshakes(
        server.url,
        auths.get(mode) as AuthFor,
        slice,
        plan.inFlight,
      );
      // Disconnects are part of the work: the sample waits until the server has closed every socket.
      const after = await server.sample(0);
      if (after.connections - before.connections !== count)
        throw new Error(`${mode}: ${after.connections - before.connections} connections for ${count}`);
      return { rate: (count * 1000) / wallMs, cpuPerHandshake: (after.cpu - before.cpu) / count, latencies };
    }),
  );
  const latencies = (mode: string) => {
    const all = (samples.get(mode) as HandshakeSample[]).flatMap((run) => run.latencies);
    return { p50: percentile(all, 50), p99: percentile(all, 99) };
  };
  const cpu = (sample: HandshakeSample) => sample.cpuPerHandshake;
  const rate = (sample: HandshakeSample) => sample.rate;
  const limit = latencies('socket.io');
  const results: BenchResult[] = [];
  for (const alg of ALGORITHMS) {
    const [ours, peer] = [`ioauth.${alg}`, `thream.${alg}`];
    const name = `gateway.handshake.${alg}`;
    const [oursLatency, peerLatency] = [latencies(ours), latencies(peer)];
    results.push(
      compare(`${name} server CPU vs no auth`, 'µs/handshake', samples, [ours, 'socket.io'], cpu, {
        target: { max: HANDSHAKE_CPU_TARGET[alg] },
      }),
      compare(`${name} server CPU vs ${PEER}`, 'µs/handshake', samples, [ours, peer], cpu, {
        target: { max: 1 },
      }),
      compare(`${name} conn/s vs no auth`, 'conn/s', samples, [ours, 'socket.io'], rate, {
        target: { min: 0.9 },
      }),
      compare(`${name} conn/s vs ${PEER}`, 'conn/s', samples, [ours, peer], rate),
      figure(`${name} p50 connect latency vs no auth`, 'ms', oursLatency.p50, limit.p50, { digits: 2 }),
      figure(`${name} p99 connect latency vs no auth`, 'ms', oursLatency.p99, limit.p99, { digits: 2 }),
      figure(`${name} p50 connect latency vs ${PEER}`, 'ms', oursLatency.p50, peerLatency.p50, { digits: 2 }),
      figure(`${name} p99 connect latency vs ${PEER}`, 'ms', oursLatency.p99, peerLatency.p99, { digits: 2 }),
    );
  }
  results.push(
    compare(
      `gateway.handshake.HS256 server CPU vs ${NEST}`,
      'µs/handshake',
      samples,
      ['ioauth.HS256', 'nest'],
      cpu,
    ),
    compare(
      `gateway.handshake ${NEST}: server CPU vs no auth`,
      'µs/handshake',
      samples,
      ['nest', 'socket.io'],
      cpu,
    ),
  );
  return results;
}

/**
 * Hostile handshakes against valid ones on the same ioauth server (issue 5: a hostile handshake must cost less than a
 * valid one): a token whose signature is forged (the costliest refusal: the signature is computed before it fails)
 * and a token over `IOAUTH_MAX_TOKEN_BYTES` (refused before any parsing).
 */
async function hostileBench(
  plan: GatewayPlan,
  servers: Map<string, ServerProcess>,
  tokens: Tokens,
): Promise<BenchResult[]> {
  const server = servers.get('ioauth.HS256') as ServerProcess;
  const valid = rotating(authFor('ioauth.HS256', tokens));
  const forge = (token: string) => `${token.slice(0, token.lastIndexOf('.') + 1)}${'A'.repeat(43)}`;
  const hostile: Record<string, AuthFor> = {
    forged: rotating((i) => ({ token: forge(tokens.HS256[i % tokens.HS256.length] as string) })),
    // A kilobyte over the default limit of 8192 bytes.
    oversized: () => ({ token: 'x'.repeat(9216) }),
  };
  const modes = ['valid', ...Object.keys(hostile)];
  const samples = await interleaved(
    modes,
    plan.runs,
    logged('hostile handshakes', async (mode, run) => {
      // The refusal paths have not run yet: they get a warm-up of the handshake bench's size (see GatewayPlan).
      const slice = run < 0 ? { sliceMs: 0, atLeast: plan.warmUpHandshakes } : { sliceMs: plan.sliceMs };
      const before = await server.sample(0);
      const { count } =
        mode === 'valid'
          ? await handshakes(server.url, valid, slice, plan.inFlight)
          : await refusals(server.url, hostile[mode] as AuthFor, slice, plan.inFlight);
      const after = await server.sample(0);
      return { cpuPerHandshake: (after.cpu - before.cpu) / count };
    }),
  );
  return Object.keys(hostile).map((mode) =>
    compare(
      `gateway.handshake.HS256 refused, ${mode} token: server CPU vs a valid handshake`,
      'µs/handshake',
      samples,
      [mode, 'valid'],
      (sample) => sample.cpuPerHandshake,
      { target: { max: 1 } },
    ),
  );
}

/**
 * The per-event cost of `WsJwtGuard`: the same acknowledged `ping` handler behind `@WsAuth()` and
 * `@RequireScopes('x')` and without them, both in an ioauth app (authenticated sockets either way), at 1 and 64
 * events in flight on one socket.
 */
async function eventBench(
  plan: GatewayPlan,
  servers: Map<string, ServerProcess>,
  tokens: Tokens,
): Promise<BenchResult[]> {
  const modes = ['ioauth.HS256', 'ioauth.open'];
  const sockets = new Map<string, Socket>();
  try {
    for (const mode of modes)
      sockets.set(mode, await connect((servers.get(mode) as ServerProcess).url, authFor(mode, tokens)(0)));
    const results: BenchResult[] = [];
    for (const inFlight of [1, 64] as const) {
      const samples = await interleaved(
        modes,
        plan.runs,
        logged(`events ${inFlight}`, async (mode) => {
          const server = servers.get(mode) as ServerProcess;
          const before = await server.sample();
          const { count, wallMs } = await pings(sockets.get(mode) as Socket, plan.sliceMs, inFlight);
          const after = await server.sample();
          return { rate: (count * 1000) / wallMs, cpu: (after.cpu - before.cpu) / count };
        }),
      );
      // Issue 5: at most 5% lost at 1 in flight, 10% at 64; as a cost, at most 1/0.95 and 1/0.9 of unguarded.
      const loss = inFlight === 1 ? 0.05 : 0.1;
      const name = `gateway.event ${inFlight} in flight, WsJwtGuard vs unguarded`;
      const pair: [string, string] = ['ioauth.HS256', 'ioauth.open'];
      results.push(
        compare(`${name}: events/s`, 'events/s', samples, pair, (sample) => sample.rate, {
          target: { min: round(1 - loss, 2) },
        }),
        compare(`${name}: server CPU`, 'µs/event', samples, pair, (sample) => sample.cpu, {
          target: { max: round(1 / (1 - loss), 3) },
          digits: 1,
        }),
      );
    }
    return results;
  } finally {
    closeAll([...sockets.values()]);
  }
}

/**
 * Heap and RSS per idle socket: the ioauth app against the same Nest app without ioauth, both with the unguarded
 * handler (what an app pays for adding ioauth: its identity and lifecycle state, less what `IoauthIoAdapter` saves
 * on binding handlers), and against bare socket.io (the limit). Each run opens
 * `idleSockets` more and keeps them, weighed after a full collection in the server: with sockets only ever added,
 * each run's growth has to be new memory, where a run after closing sockets would reuse the pages they freed and
 * leave RSS flat.
 */
async function memoryBench(
  plan: GatewayPlan,
  servers: Map<string, ServerProcess>,
  tokens: Tokens,
): Promise<BenchResult[]> {
  const modes = ['ioauth.open', 'nest', 'socket.io'];
  const held = new Map<string, Socket[]>(modes.map((mode) => [mode, []]));
  try {
    const samples = await interleaved(
      modes,
      plan.memoryRuns,
      logged('memory', async (mode, run) => {
        const server = servers.get(mode) as ServerProcess;
        const sockets = held.get(mode) as Socket[];
        // The warm-up round fills what earlier work left free in the heap, and gets lazy allocations done.
        const count = run < 0 ? Math.ceil(plan.idleSockets / 2) : plan.idleSockets;
        await server.sample(sockets.length);
        const before = await server.memory();
        // Tokens not used by the sockets already held: one user and session per socket, as in the handshake bench.
        const auth = authFor(mode, tokens);
        sockets.push(
          ...(await openSockets(server.url, (i) => auth(sockets.length + i), count, plan.inFlight)),
        );
        await server.sample(sockets.length);
        const after = await server.memory();
        return { heap: (after.heapUsed - before.heapUsed) / count, rss: (after.rss - before.rss) / count };
      }),
    );
    const pair: [string, string] = ['ioauth.open', 'nest'];
    const limit: [string, string] = ['ioauth.open', 'socket.io'];
    return [
      compare(`gateway.memory heap per idle socket vs ${NEST}`, 'bytes', samples, pair, (run) => run.heap, {
        target: { max: 1.05 },
      }),
      compare(`gateway.memory RSS per idle socket vs ${NEST}`, 'bytes', samples, pair, (run) => run.rss, {
        target: { max: 1.05 },
      }),
      compare('gateway.memory heap per idle socket vs no auth', 'bytes', samples, limit, (run) => run.heap),
      compare('gateway.memory RSS per idle socket vs no auth', 'bytes', samples, limit, (run) => run.rss),
    ];
  } finally {
    for (const sockets of held.values()) closeAll(sockets);
  }
}

/**
 * Reconnect storm: `stormClients` clients connected (reconnection on, 100 ms first delay with socket.io's 50%
 * jitter), the server process killed and a new one listening on the same port, every client reconnecting at once;
 * measured from the new process's listen to the last reconnect. The new process was booted with the others and is
 * only told to listen after the kill, so that the figure is the storm on a cold process, not the boot of Nest
 * against that of a bare server. Each run's new process is the next run's victim.
 */
async function stormBench(
  plan: GatewayPlan,
  chains: Map<string, readonly ServerProcess[]>,
  tokens: Tokens,
): Promise<BenchResult[]> {
  const samples = await interleaved(
    STORM_MODES,
    plan.stormRuns,
    logged('storm', async (mode, run) => {
      const chain = chains.get(mode) as ServerProcess[];
      const [victim, successor] = [chain[run] as ServerProcess, chain[run + 1] as ServerProcess];
      const sockets = await openSockets(victim.url, authFor(mode, tokens), plan.stormClients, plan.inFlight, {
        reconnection: true,
        reconnectionDelay: 100,
        reconnectionDelayMax: 1000,
        randomizationFactor: 0.5,
      });
      try {
        const gone = everyOne(sockets, 'disconnect');
        await victim.kill();
        await gone;
        const back = everyOne(sockets, 'connect');
        const start = performance.now();
        const listening = await successor.listen(victim.port);
        await back;
        const wallMs = performance.now() - start;
        const settled = await successor.sample(plan.stormClients);
        return { wallMs, cpu: (settled.cpu - listening.cpu) / plan.stormClients };
      } finally {
        closeAll(sockets);
      }
    }),
    // Every storm hits a process that has never run: there is nothing to warm up.
    { warmUp: false },
  );
  const name = `gateway.storm ${plan.stormClients} clients`;
  const pair: [string, string] = ['ioauth.HS256', 'socket.io'];
  return [
    compare(`${name}: time until all reconnected vs no auth`, 'ms', samples, pair, (run) => run.wallMs),
    compare(`${name}: server CPU per reconnect vs no auth`, 'µs/handshake', samples, pair, (run) => run.cpu),
  ];
}

/** The gateway figures of issue 5 item 5 (see each bench above), every one against a baseline of the same run. */
export async function gatewayBench(plan: GatewayPlan): Promise<BenchResult[]> {
  const keys = { HS256: await benchKey('HS256'), ES256: await benchKey('ES256') };
  const tokens: Tokens = {
    HS256: await mintTokens(keys.HS256, TOKEN_POOL),
    ES256: await mintTokens(keys.ES256, TOKEN_POOL),
  };
  const all = specs(keys);
  const started: ServerProcess[] = [];
  // A few boots at a time: more would not finish sooner on two cores, and each would take long enough to look hung.
  const slots = limiter(BOOTS_AT_ONCE);
  const start = (name: string, spec: ServerSpec) =>
    slots(() =>
      step(`boot ${name}`, async () => {
        const server = await ServerProcess.start(name, spec);
        started.push(server);
        return server;
      }),
    );
  try {
    // Every process boots before anything is measured: booting is most of a quick run's time.
    const [servers, successors] = await Promise.all([
      Promise.all(Object.entries(all).map(async ([mode, spec]) => [mode, await start(mode, spec)] as const)),
      Promise.all(
        STORM_MODES.map(
          async (mode) =>
            [
              mode,
              await Promise.all(
                Array.from({ length: plan.stormRuns }, (_, run) =>
                  start(`${mode}.storm${run}`, { ...(all[mode] as ServerSpec), port: undefined }),
                ),
              ),
            ] as const,
        ),
      ),
    ]);
    const byMode = new Map(servers);
    const results = [
      ...(await handshakeBench(plan, byMode, tokens)),
      ...(await hostileBench(plan, byMode, tokens)),
      ...(await eventBench(plan, byMode, tokens)),
      ...(await memoryBench(plan, byMode, tokens)),
    ];
    // The storm's first victims are the long-lived servers of its modes; the others are done.
    await Promise.all(
      servers.filter(([mode]) => !STORM_MODES.includes(mode)).map(([, server]) => server.stop()),
    );
    const chains = new Map(
      successors.map(([mode, next]) => [mode, [byMode.get(mode) as ServerProcess, ...next]] as const),
    );
    results.push(...(await stormBench(plan, chains, tokens)));
    for (const chain of chains.values()) await chain[chain.length - 1]?.stop();
    const redisUrl = process.env['IOAUTH_BENCH_REDIS_URL'];
    if (redisUrl) {
      const spec = { ...(all['ioauth.HS256'] as ServerSpec), port: 0, redisUrl };
      const revocable = await mintTokens(keys.HS256, REVOCATION_TOKENS);
      results.push(...(await step('revocation', () => revocationBench(plan.revocation, spec, revocable))));
    } else {
      console.error('gateway: revocation across processes skipped: set IOAUTH_BENCH_REDIS_URL to measure it');
    }
    const postgresUrl = process.env['IOAUTH_BENCH_POSTGRES_URL'];
    if (postgresUrl) {
      const spec = all['ioauth.HS256'] as ServerSpec;
      const revocable = await mintTokens(keys.HS256, plan.catchUp.runs * 2 + 2);
      results.push(
        ...(await step('catch-up', () => catchUpBench(plan.catchUp, spec, postgresUrl, revocable))),
      );
    } else {
      console.error('gateway: revocation catch-up skipped: set IOAUTH_BENCH_POSTGRES_URL to measure it');
    }
    return results;
  } finally {
    await Promise.all(started.map((server) => server.kill()));
  }
}
