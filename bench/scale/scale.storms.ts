import type { ServerWindow } from '../gateway.protocol.js';
import { ServerProcess } from '../gateway.server-process.js';
import { figure } from '../harness.js';
import {
  describe,
  log,
  ScaleContext,
  sleep,
  startServers,
  step,
  windowEnd,
  windowStart,
} from './scale.context.js';
import { Fleet } from './scale.fleet.js';
import { listenOverflows } from './scale.kernel.js';
import { monotonicMs } from './scale.protocol.js';

const TIMEOUT_MS = 300_000;

interface StormSample {
  wallMs: number;
  cpuPerReconnect: number;
  /** Connection attempts the kernel dropped with a full accept queue during the storm; a client retries in 1 s, 3 s... */
  listenOverflows: number | undefined;
}

/**
 * Reconnect storm: `reconnect.sockets` `@ioauth/client` sockets (the SDK's own backoff, 1 s to 30 s with jitter) on
 * a gateway that is killed, as a crash or a deploy does, and a new process listening on the same port. Measured from
 * the new process's listen to the last socket back, each asking its token source for a token again; the new process
 * was booted beforehand, so that the figure is the storm, not the boot. Against bare socket.io with the same
 * clients.
 */
export async function reconnectStormBench(ctx: ScaleContext): Promise<void> {
  const { sockets, loads } = ctx.plan.reconnect;
  const samples = new Map<string, StormSample>();
  for (const mode of ['ioauth', 'socket.io'] as const) {
    samples.set(
      mode,
      await step(`reconnect storm, ${sockets} sockets, ${mode}`, async () => {
        const [victim, successor] = await Promise.all([
          ServerProcess.start(`storm.${mode}`, ctx.spec(mode, { port: 'stable' })),
          ServerProcess.start(`storm.${mode}.next`, ctx.spec(mode, { port: undefined })),
        ]);
        const fleet = await Fleet.start(`storm.${mode}`, loads, ctx.mint);
        try {
          await fleet.open([victim.url], sockets, 'ioauth', {}, ctx.plan.inFlight);
          await fleet.mark();
          await victim.kill();
          await fleet.wait('disconnected', TIMEOUT_MS);
          const overflowsBefore = await listenOverflows();
          const listening = await successor.listen(victim.port);
          const start = monotonicMs();
          const back = await fleet.wait('connected', TIMEOUT_MS);
          const overflowsAfter = await listenOverflows();
          const settled = await successor.sample(sockets);
          const stats = await fleet.stats();
          // Every socket went down once and came back once; none was refused on the way.
          const ok =
            stats.connected === sockets &&
            stats.reconnects === sockets &&
            stats.refusals === 0 &&
            stats.unauthorized === 0;
          ctx.check(`reconnect storm (${mode}): all ${sockets} back, none refused`, ok, describe(stats));
          return {
            wallMs: back - start,
            cpuPerReconnect: (settled.cpu - listening.cpu) / sockets,
            listenOverflows:
              overflowsBefore === undefined || overflowsAfter === undefined
                ? undefined
                : overflowsAfter - overflowsBefore,
          };
        } finally {
          await fleet.kill();
          await Promise.all([victim.kill(), successor.stop()]);
        }
      }),
    );
  }
  const [ours, bare] = [samples.get('ioauth') as StormSample, samples.get('socket.io') as StormSample];
  const name = `scale.reconnect storm ${sockets} @ioauth/client sockets`;
  ctx.add(
    figure(`${name}: time until all back vs bare socket.io`, 'ms', ours.wallMs, bare.wallMs),
    figure(
      `${name}: server CPU per reconnect vs bare socket.io`,
      'µs',
      ours.cpuPerReconnect,
      bare.cpuPerReconnect,
    ),
  );
  for (const [mode, sample] of samples) {
    if (sample.listenOverflows !== undefined)
      ctx.fact(
        `reconnect storm (${mode}): connections dropped by a full accept queue`,
        sample.listenOverflows,
      );
  }
}

/**
 * Expiry and refresh storm: `expiry.sockets` `@ioauth/client` sockets whose first tokens expire within the same
 * second, so that all get `auth:expiring` at once and refresh in-band; each must stay connected past the old
 * expiry. Server CPU per refresh and event-loop lag over the storm, against the same number of acknowledged events
 * of the same size sent at once to the Nest app without ioauth.
 */
export async function expiryStormBench(ctx: ScaleContext): Promise<void> {
  const { sockets, loads, lifetimeS } = ctx.plan.expiry;
  // Contract: the refresh window is 60 s, or a third of the lifetime if that is shorter.
  const windowS = Math.min(60, lifetimeS / 3);
  const ours = await step(`expiry storm, ${sockets} tokens expiring in one second`, async () => {
    const [server] = (await startServers('expiry.ioauth', 1, ctx.spec('ioauth'))) as [ServerProcess];
    const fleet = await Fleet.start('expiry.ioauth', loads, ctx.mint);
    try {
      const iat = Math.floor(Date.now() / 1000);
      const exp = iat + lifetimeS;
      await fleet.open([server.url], sockets, 'ioauth', { first: { iat, exp } }, ctx.plan.inFlight);
      const warnAt = (exp - windowS) * 1000;
      if (Date.now() > warnAt - 1000)
        throw new Error('expiry storm: the sockets took longer to open than the lifetime allows');
      await fleet.mark();
      await sleep(warnAt - 1000 - Date.now());
      await windowStart([server]);
      // The warnings go out at `warnAt` on the wall clock; the refreshes are timed from there.
      const warned = monotonicMs() + (warnAt - Date.now());
      const last = await fleet.wait('refreshed', TIMEOUT_MS);
      const [window] = (await windowEnd([server])) as [ServerWindow];
      // Past the old tokens' expiry and clock tolerance (5 s): every socket must still be there.
      await sleep(Math.max(0, (exp + 6) * 1000 - Date.now()));
      const stats = await fleet.stats();
      const ok =
        stats.connected === sockets &&
        stats.expiring === sockets &&
        stats.refreshed === sockets &&
        stats.disconnects === 0 &&
        stats.unauthorized === 0;
      ctx.check(
        `expiry storm: all ${sockets} warned, refreshed in-band, still connected past exp`,
        ok,
        describe(stats),
      );
      const refreshMs = last - warned;
      return { window, refreshMs, cpu: window.cpu / sockets };
    } finally {
      await fleet.kill();
      await server.stop();
    }
  });
  const base = await step(
    `expiry storm baseline: ${sockets} acknowledged events at once, Nest without ioauth`,
    async () => {
      const [server] = (await startServers('expiry.nest', 1, ctx.spec('nest'))) as [ServerProcess];
      const fleet = await Fleet.start('expiry.nest', loads, ctx.mint);
      try {
        await fleet.open([server.url], sockets, 'ioauth', {}, ctx.plan.inFlight);
        await windowStart([server]);
        const start = monotonicMs();
        await fleet.pingAll(TIMEOUT_MS);
        const wallMs = monotonicMs() - start;
        const [window] = (await windowEnd([server])) as [ServerWindow];
        return { window, wallMs, cpu: window.cpu / sockets };
      } finally {
        await fleet.kill();
        await server.stop();
      }
    },
  );
  log(
    `expiry storm: refreshes done ${ours.refreshMs.toFixed(0)} ms after the warnings; baseline events in ${base.wallMs.toFixed(0)} ms`,
  );
  const name = `scale.expiry storm ${sockets} tokens expiring in one second`;
  const vs = 'vs an acknowledged event at once, Nest without ioauth';
  ctx.add(
    figure(`${name}: server CPU per in-band refresh ${vs}`, 'µs', ours.cpu, base.cpu),
    figure(`${name}: event-loop lag p99 ${vs}`, 'ms', ours.window.lagP99, base.window.lagP99, { digits: 1 }),
    figure(`${name}: event-loop lag max ${vs}`, 'ms', ours.window.lagMax, base.window.lagMax, { digits: 1 }),
  );
  ctx.fact('expiry storm: last in-band refresh after the warnings went out (ms)', ours.refreshMs);
}
