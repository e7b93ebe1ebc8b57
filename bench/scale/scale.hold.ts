import type { ServerWindow } from '../gateway.protocol.js';
import type { ServerProcess } from '../gateway.server-process.js';
import { figure, median, percentile } from '../harness.js';
import {
  describe,
  done,
  idle,
  log,
  ScaleContext,
  sleep,
  startServers,
  step,
  windowEnd,
  windowStart,
  type ScaleMode,
} from './scale.context.js';
import { Fleet } from './scale.fleet.js';
import { monotonicMs } from './scale.protocol.js';

const OPEN_TIMEOUT_MS = 300_000;
const HOLD_MODES: readonly ScaleMode[] = ['ioauth', 'nest', 'socket.io'];
const LABEL: Record<ScaleMode, string> = {
  'socket.io': 'bare socket.io',
  nest: 'Nest with the plain IoAdapter',
  ioauth: 'ioauth',
};

interface HoldSample {
  heapPerSocket: number;
  rssPerSocket: number;
  heapBase: number;
  rssBase: number;
  window: ServerWindow;
  /** One broadcast to every socket: until the last one got it, and the server's CPU for it. */
  broadcastMs: number;
  broadcastCpuMs: number;
}

/**
 * One gateway process holding `hold.sockets` idle authenticated sockets (as many as this machine's file limit per
 * process allows), for each stack in turn: memory per socket after a full collection (measured inside the server),
 * CPU per second and event-loop lag while idle, and no socket lost over the idle time.
 */
export async function holdBench(ctx: ScaleContext): Promise<void> {
  const { sockets, loads, idleMs } = ctx.plan.hold;
  const samples = new Map<ScaleMode, HoldSample>();
  for (const mode of HOLD_MODES) {
    samples.set(
      mode,
      await step(`hold ${sockets} on one ${mode} gateway`, async () => {
        const [server] = (await startServers(`hold.${mode}`, 1, ctx.spec(mode))) as [ServerProcess];
        const fleet = await Fleet.start(`hold.${mode}`, loads, ctx.mint);
        try {
          const before = await server.memory();
          await fleet.open([server.url], sockets, 'socket.io-client', {}, ctx.plan.inFlight);
          await server.sample(sockets);
          const after = await server.memory();
          const window = (await idle([server], idleMs))[0] as ServerWindow;
          // What the cluster's broadcast costs one process, without the other gateways on the same cores.
          await windowStart([server]);
          const sent = monotonicMs();
          await done(server, { type: 'broadcast', seq: 0 });
          const broadcastMs = (await fleet.heard(0, OPEN_TIMEOUT_MS)) - sent;
          const broadcast = (await windowEnd([server]))[0] as ServerWindow;
          const stats = await fleet.stats();
          const { clients } = await server.sample();
          ctx.checkHeld(
            `hold: ${sockets} sockets on one ${mode} gateway, none lost over ${idleMs} ms`,
            stats,
            sockets,
          );
          ctx.check(
            `hold: the ${mode} gateway still holds ${sockets}`,
            clients === sockets,
            `${clients} clients`,
          );
          return {
            heapPerSocket: (after.heapUsed - before.heapUsed) / sockets,
            rssPerSocket: (after.rss - before.rss) / sockets,
            heapBase: before.heapUsed,
            rssBase: before.rss,
            window,
            broadcastMs,
            broadcastCpuMs: broadcast.cpu / 1000,
          };
        } finally {
          await fleet.kill();
          await server.stop();
        }
      }),
    );
  }
  const ours = samples.get('ioauth') as HoldSample;
  const name = `scale.hold ${sockets} idle sockets, one process`;
  for (const baseline of ['socket.io', 'nest'] as const) {
    const base = samples.get(baseline) as HoldSample;
    const vs = `vs ${LABEL[baseline]}`;
    ctx.add(
      figure(`${name}: heap per socket ${vs}`, 'bytes', ours.heapPerSocket, base.heapPerSocket),
      figure(`${name}: RSS per socket ${vs}`, 'bytes', ours.rssPerSocket, base.rssPerSocket),
      figure(`${name}: idle CPU ${vs}`, 'ms CPU/s', cpuPerSecond(ours.window), cpuPerSecond(base.window), {
        digits: 2,
      }),
      figure(`${name}: idle event-loop lag p99 ${vs}`, 'ms', ours.window.lagP99, base.window.lagP99, {
        digits: 2,
      }),
      figure(`${name}: a broadcast to every socket ${vs}`, 'ms', ours.broadcastMs, base.broadcastMs, {
        digits: 1,
      }),
      figure(`${name}: server CPU for a broadcast ${vs}`, 'ms', ours.broadcastCpuMs, base.broadcastCpuMs, {
        digits: 1,
      }),
    );
  }
  // What one process would need for 100,000 sockets, from what 19,000 cost it.
  const at100k = (base: number, perSocket: number) => (base + perSocket * 100_000) / 2 ** 20;
  ctx.fact(
    'hold: ioauth heap at 100k sockets in one process (MiB, extrapolated)',
    at100k(ours.heapBase, ours.heapPerSocket),
  );
  ctx.fact(
    'hold: ioauth RSS at 100k sockets in one process (MiB, extrapolated)',
    at100k(ours.rssBase, ours.rssPerSocket),
  );
  const bare = samples.get('socket.io') as HoldSample;
  ctx.fact(
    'hold: bare socket.io RSS at 100k sockets in one process (MiB, extrapolated)',
    at100k(bare.rssBase, bare.rssPerSocket),
  );
}

const cpuPerSecond = (window: ServerWindow) => window.cpu / 1000 / (window.wallMs / 1000);

interface ClusterSample {
  idleCpu: number;
  lagP99: number;
  rss: number;
  broadcastMs: number;
  kicks: number[];
  kickLagP99: number;
}

/**
 * `cluster.gateways` gateway processes over one Redis holding `cluster.sockets` between them, opened by
 * `cluster.loads` processes: idle CPU and memory of each, a broadcast to every socket (time until the last one heard
 * it), and cross-node kicks while broadcasts run (from the request on one node to the client's disconnect on
 * another). ioauth kicks by revoking the session, as an admin or a logout does; bare socket.io by
 * `io.in(id).disconnectSockets(true)` through its Redis adapter.
 */
export async function clusterBench(ctx: ScaleContext): Promise<void> {
  const plan = ctx.plan.cluster;
  const samples = new Map<ScaleMode, ClusterSample>();
  for (const mode of ['ioauth', 'socket.io'] as const) {
    samples.set(
      mode,
      await step(`cluster of ${plan.gateways} ${mode} gateways, ${plan.sockets} sockets`, () =>
        cluster(ctx, mode),
      ),
    );
  }
  const ours = samples.get('ioauth') as ClusterSample;
  const bare = samples.get('socket.io') as ClusterSample;
  const name = `scale.cluster ${plan.sockets} sockets on ${plan.gateways} processes over Redis`;
  const vs = `vs ${LABEL['socket.io']}`;
  ctx.add(
    figure(`${name}: idle CPU, all processes ${vs}`, 'ms CPU/s', ours.idleCpu, bare.idleCpu, { digits: 2 }),
    figure(`${name}: idle event-loop lag p99 ${vs}`, 'ms', ours.lagP99, bare.lagP99, { digits: 2 }),
    figure(`${name}: RSS, all processes ${vs}`, 'MiB', ours.rss / 2 ** 20, bare.rss / 2 ** 20),
    figure(`${name}: broadcast to every socket ${vs}`, 'ms', ours.broadcastMs, bare.broadcastMs, {
      digits: 1,
    }),
    figure(
      `${name}: cross-node kick p50 under broadcasts ${vs}`,
      'ms',
      median(ours.kicks),
      median(bare.kicks),
      {
        digits: 1,
      },
    ),
    figure(
      `${name}: cross-node kick p99 under broadcasts ${vs}`,
      'ms',
      percentile(ours.kicks, 99),
      percentile(bare.kicks, 99),
      { digits: 1 },
    ),
    figure(`${name}: event-loop lag p99 under broadcasts ${vs}`, 'ms', ours.kickLagP99, bare.kickLagP99, {
      digits: 1,
    }),
  );
}

async function cluster(ctx: ScaleContext, mode: 'ioauth' | 'socket.io'): Promise<ClusterSample> {
  const plan = ctx.plan.cluster;
  const servers = await startServers(
    `cluster.${mode}`,
    plan.gateways,
    ctx.spec(mode, { redisUrl: ctx.redisUrl }),
  );
  const fleet = await Fleet.start(`cluster.${mode}`, plan.loads, ctx.mint);
  try {
    await fleet.open(
      servers.map((server) => server.url),
      plan.sockets,
      'socket.io-client',
      {},
      ctx.plan.inFlight,
    );
    const perServer = await Promise.all(servers.map((server) => server.sample()));
    const held = perServer.reduce((total, sample) => total + sample.clients, 0);
    ctx.check(
      `cluster (${mode}): the gateways hold ${plan.sockets}`,
      held === plan.sockets,
      `${held} clients`,
    );
    const memory = await Promise.all(servers.map((server) => server.memory()));
    const windows = await idle(servers, plan.idleMs);
    const broadcasts: number[] = [];
    for (let seq = 0; seq < plan.broadcasts; seq += 1) {
      const sent = monotonicMs();
      await done(servers[0] as ServerProcess, { type: 'broadcast', seq });
      broadcasts.push((await fleet.heard(seq, OPEN_TIMEOUT_MS)) - sent);
    }
    log(`cluster (${mode}) after ${plan.broadcasts} broadcasts: ${describe(await fleet.stats())}`);
    const { kicks, lagP99 } = await kicksUnderBroadcasts(ctx, mode, servers, fleet, plan.broadcasts);
    const stats = await fleet.stats();
    // The kicked sockets are the only ones that may have gone.
    const unkicked = {
      ...stats,
      connected: stats.connected + plan.kicks,
      disconnects: stats.disconnects - plan.kicks,
    };
    ctx.checkHeld(
      `cluster (${mode}): ${plan.sockets} sockets, none lost but the ${plan.kicks} kicked`,
      unkicked,
      plan.sockets,
    );
    log(`cluster (${mode}): ${describe(stats)}`);
    return {
      idleCpu: windows.reduce((total, window) => total + cpuPerSecond(window), 0),
      lagP99: Math.max(...windows.map((window) => window.lagP99)),
      rss: memory.reduce((total, sample) => total + sample.rss, 0),
      broadcastMs: median(broadcasts),
      kicks,
      kickLagP99: lagP99,
    };
  } finally {
    await fleet.kill();
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/**
 * Kicks, one at a time, of sockets held by nodes other than the one asked, while another node broadcasts to every
 * socket each `broadcastEveryMs`.
 */
async function kicksUnderBroadcasts(
  ctx: ScaleContext,
  mode: 'ioauth' | 'socket.io',
  servers: readonly ServerProcess[],
  fleet: Fleet,
  firstSeq: number,
): Promise<{ kicks: number[]; lagP99: number }> {
  const plan = ctx.plan.cluster;
  const [kicker, broadcaster] = servers as [ServerProcess, ServerProcess];
  const away = new Set(servers.slice(2).map((server) => server.url));
  const targets = (await fleet.refs()).filter(({ ref }) => away.has(ref.url)).slice(0, plan.kicks);
  if (targets.length < plan.kicks) throw new Error(`cluster: only ${targets.length} sockets to kick`);
  // Before the broadcasts start: a server answers one request at a time.
  await Promise.all(servers.map((server) => server.request({ type: 'window-start' })));
  let broadcasting = true;
  const broadcasts = (async () => {
    for (let seq = firstSeq; broadcasting; seq += 1) {
      const next = sleep(plan.broadcastEveryMs);
      await done(broadcaster, { type: 'broadcast', seq });
      await next;
    }
  })();
  const kicks: number[] = [];
  try {
    for (const { load, ref } of targets) {
      const start = monotonicMs();
      await done(
        kicker,
        mode === 'ioauth'
          ? { type: 'revoke', sid: ref.sid, sub: ref.sub }
          : { type: 'disconnect', socketId: ref.socketId },
      );
      const [closedAt] = await load.closedAt([ref.index], OPEN_TIMEOUT_MS);
      kicks.push((closedAt as number) - start);
    }
  } finally {
    broadcasting = false;
    await broadcasts;
  }
  const windows = await Promise.all(
    servers.map(async (server) => {
      const reply = await server.request({ type: 'window-end' });
      return reply.type === 'window' ? reply.window.lagP99 : 0;
    }),
  );
  return { kicks, lagP99: Math.max(...windows) };
}
