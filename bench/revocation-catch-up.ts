import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';

import type { Socket } from 'socket.io-client';

import { closeAll, connect, withTimeout } from './gateway.client.js';
import type { ServerSpec } from './gateway.protocol.js';
import { ServerProcess } from './gateway.server-process.js';
import { figure, interleaved, median, percentile, type BenchResult } from './harness.js';
import { freshDatabase } from './postgres-database.js';
import { BenchRedis } from './redis-server.js';

export interface CatchUpPlan {
  /** Revocations per mode, one at a time. */
  runs: number;
}

const MISSED = 'missed on the bus (Redis down)';
const DELIVERED = 'delivered on the bus';
const TIMEOUT_MS = 15_000;
// RevocationSync reads the store every 2 s; the figure is held to that bound plus the read itself on a busy machine.
const CATCH_UP_BOUND_MS = 2_000;

interface Sample {
  /** From the revocation's request to the socket's close. */
  fromRevocation: number;
  /** From Redis accepting connections again to the socket's close; 0 when it closed before. */
  fromRedisBack: number;
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as {
    sid: string;
    sub: string;
  };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

// The handshake counts against a Redis rate limit: right after Redis is back, the server's client may not be
// ready yet and the handshake is refused with `unavailable`, so it is tried again.
async function connectWhenReady(url: string, token: string): Promise<Socket> {
  const deadline = performance.now() + TIMEOUT_MS;
  for (;;) {
    try {
      return await connect(url, { token });
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * A revocation whose bus message is lost (contract v2, "Revocation is durable"): two ioauth processes share a
 * PostgreSQL database and a Redis of the bench's own; the socket is held by one, the session is revoked on the other
 * while that Redis is down, then Redis starts again. The time runs to the client's `disconnect`, applied from the
 * store by the holder's catch-up (a read every 2 s, and one at once when its subscriber reconnects). The baseline is
 * the same revocation delivered on the bus, measured in the same run, before Redis is first stopped.
 */
export async function catchUpBench(
  plan: CatchUpPlan,
  spec: ServerSpec,
  postgresUrl: string,
  tokens: readonly string[],
): Promise<BenchResult[]> {
  const database = await freshDatabase(postgresUrl);
  const redis = new BenchRedis(await freePort());
  await redis.start();
  const servers: ServerProcess[] = [];
  try {
    const clustered = { ...spec, port: 0, redisUrl: redis.url, databaseUrl: database.url };
    // One after the other: the first migrates the fresh database.
    const holder = await ServerProcess.start('catch-up.holder', clustered);
    servers.push(holder);
    const publisher = await ServerProcess.start('catch-up.publisher', clustered);
    servers.push(publisher);
    let next = 0;
    const measure = async (mode: string): Promise<Sample> => {
      const token = tokens[next++];
      if (!token) throw new Error('catch-up bench: the token pool is too small');
      const socket = await connectWhenReady(holder.url, token);
      try {
        const { sid, sub } = claimsOf(token);
        const gone = withTimeout(
          new Promise<number>((resolve) => socket.once('disconnect', () => resolve(performance.now()))),
          'socket closed',
          TIMEOUT_MS,
        );
        if (mode === MISSED) await redis.stop();
        const start = performance.now();
        await publisher.request({ type: 'revoke', sid, sub });
        let back = start;
        if (mode === MISSED) {
          await redis.start();
          back = performance.now();
        }
        const closedAt = await gone;
        return { fromRevocation: closedAt - start, fromRedisBack: Math.max(0, closedAt - back) };
      } finally {
        closeAll([socket]);
      }
    };
    // Not interleaved, unlike the other figures: after each restart of Redis the processes' subscribers reconnect
    // on their own schedule, and a bus revocation measured meanwhile would be one missed too. The baseline goes
    // first, on a Redis that has never stopped.
    const samples = new Map([
      ...(await interleaved([DELIVERED], plan.runs, measure)),
      ...(await interleaved([MISSED], plan.runs, measure)),
    ]);
    const of = (mode: string, key: keyof Sample) =>
      (samples.get(mode) as Sample[]).map((sample) => sample[key]);
    const missed = of(MISSED, 'fromRevocation');
    const delivered = of(DELIVERED, 'fromRevocation');
    const back = of(MISSED, 'fromRedisBack');
    const name = 'revocation missed on the bus, applied from the store on the other process';
    return [
      {
        ...figure(
          `${name}: p99 from the revocation vs ${DELIVERED}`,
          'ms',
          percentile(missed, 99),
          percentile(delivered, 99),
          {
            digits: 1,
          },
        ),
        target: `p99 ≤ ${CATCH_UP_BOUND_MS} ms + one read`,
        met: percentile(missed, 99) <= CATCH_UP_BOUND_MS + 500,
      },
      figure(`${name}: p50 from the revocation vs ${DELIVERED}`, 'ms', median(missed), median(delivered), {
        digits: 1,
      }),
      figure(
        `${name}: p99 from Redis back vs the catch-up interval`,
        'ms',
        percentile(back, 99),
        CATCH_UP_BOUND_MS,
        {
          digits: 1,
        },
      ),
      figure(`${name}: p50 from Redis back vs the catch-up interval`, 'ms', median(back), CATCH_UP_BOUND_MS, {
        digits: 1,
      }),
    ];
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await redis.stop();
    await database.drop();
  }
}
