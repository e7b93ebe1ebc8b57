import { performance } from 'node:perf_hooks';

import type { Socket } from 'socket.io-client';

import { closeAll, openSockets, withTimeout } from './gateway.client.js';
import type { ServerSpec } from './gateway.protocol.js';
import { ServerProcess } from './gateway.server-process.js';
import { figure, interleaved, median, percentile, type BenchResult } from './harness.js';

// Issue 5: revoking a session closes its sockets on every node within 100 ms p99 on loopback.
const TARGET_P99_MS = 100;
const TIMEOUT_MS = 10_000;

export interface RevocationPlan {
  runs: number;
  /** Revocations per run of a mode, one after another. */
  perRun: number;
}

const OURS = 'ioauth revocation';
const LIMIT = 'socket.io disconnectSockets';

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as {
    sid: string;
    sub: string;
  };

const closed = (socket: Socket) =>
  withTimeout(
    new Promise<void>((resolve) => socket.once('disconnect', () => resolve())),
    'socket closed',
    TIMEOUT_MS,
  );

/**
 * Revocation to close across two processes over Redis: the socket is held by one ioauth process, the session is
 * revoked on the bus of the other (what a logout on another node does), and the time runs from the bench's request
 * to the client's `disconnect`. The limit is socket.io's own way to close a socket held by another node, through
 * the same Redis: `io.in(socket.id).disconnectSockets(true)` sent from that other process. One revocation at a
 * time, so that each figure is a latency, not a queue.
 */
export async function revocationBench(
  plan: RevocationPlan,
  spec: ServerSpec & { redisUrl: string },
  tokens: readonly string[],
): Promise<BenchResult[]> {
  const [holder, publisher] = await Promise.all([
    ServerProcess.start('revocation.holder', spec),
    ServerProcess.start('revocation.publisher', spec),
  ]);
  let next = 0;
  const token = () => {
    const value = tokens[next++];
    if (!value) throw new Error('revocation bench: the token pool is too small');
    return value;
  };
  try {
    const samples = await interleaved([OURS, LIMIT], plan.runs, async (mode) => {
      const sockets = await openSockets(holder.url, () => ({ token: token() }), plan.perRun, plan.perRun);
      const latencies: number[] = [];
      try {
        for (const socket of sockets) {
          const { sid, sub } = claimsOf((socket.auth as { token: string }).token);
          const gone = closed(socket);
          const start = performance.now();
          await publisher.request(
            mode === OURS
              ? { type: 'revoke', sid, sub }
              : { type: 'disconnect', socketId: socket.id as string },
          );
          await gone;
          latencies.push(performance.now() - start);
        }
      } finally {
        closeAll(sockets);
      }
      return latencies;
    });
    const all = (mode: string) => (samples.get(mode) as number[][]).flat();
    const [ours, limit] = [all(OURS), all(LIMIT)];
    const name = 'gateway.revocation across 2 processes over Redis, to socket closed';
    const p99 = percentile(ours, 99);
    return [
      {
        ...figure(`${name}: p99 vs ${LIMIT}`, 'ms', p99, percentile(limit, 99), { digits: 2 }),
        target: `p99 ≤ ${TARGET_P99_MS} ms`,
        met: p99 <= TARGET_P99_MS,
      },
      figure(`${name}: p50 vs ${LIMIT}`, 'ms', median(ours), median(limit), { digits: 2 }),
    ];
  } finally {
    await Promise.all([holder.stop(), publisher.stop()]);
  }
}
