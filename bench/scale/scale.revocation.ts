import type { ServerSpec } from '../gateway.protocol.js';
import type { ServerProcess } from '../gateway.server-process.js';
import { figure } from '../harness.js';
import { freshDatabase } from '../postgres-database.js';
import { describe, done, ScaleContext, sleep, startServers, step } from './scale.context.js';
import { Fleet } from './scale.fleet.js';
import { monotonicMs, type TokenPlan } from './scale.protocol.js';

const TIMEOUT_MS = 300_000;

type Case = 'sessions' | 'user';

/**
 * Revocation fan-out over two gateway processes sharing Redis (and PostgreSQL when the bench has one, the store
 * every revocation is recorded in first): `revocation.sockets` sockets dealt over both, then either each session
 * revoked at once, one request each (as many logouts or admin actions), or the one user who holds them all revoked
 * (an admin kick). Timed from the request on the first process to the last socket closed, on either. Against
 * socket.io's own way to close sockets across nodes through the same Redis adapter: `io.in(id).disconnectSockets`
 * per socket, and `io.disconnectSockets()` for all.
 */
export async function revocationFanOutBench(ctx: ScaleContext): Promise<void> {
  const { sockets, loads } = ctx.plan.revocation;
  const database = ctx.postgresUrl ? await freshDatabase(ctx.postgresUrl) : undefined;
  const spec: ServerSpec = ctx.spec('ioauth', {
    redisUrl: ctx.redisUrl,
    ...(database ? { databaseUrl: database.url } : {}),
  });
  const servers = await startServers('revocation', 2, spec);
  const fleet = await Fleet.start('revocation', loads, ctx.mint);
  try {
    const times = new Map<string, number>();
    for (const kind of ['sessions', 'user'] as const) {
      for (const how of ['ioauth', 'socket.io'] as const) {
        times.set(
          `${kind}.${how}`,
          await step(`revocation fan-out, ${sockets} sockets, ${kind}, ${how}`, () =>
            fanOut(ctx, servers, fleet, kind, how),
          ),
        );
      }
    }
    const of = (key: string) => times.get(key) as number;
    const name = `scale.revocation ${sockets} sockets on 2 processes over Redis`;
    ctx.add(
      figure(
        `${name}: ${sockets} sessions revoked at once, until every socket closed vs socket.io disconnectSockets per socket`,
        'ms',
        of('sessions.ioauth'),
        of('sessions.socket.io'),
      ),
      figure(
        `${name}: one user holding all revoked, until every socket closed vs socket.io disconnectSockets for all`,
        'ms',
        of('user.ioauth'),
        of('user.socket.io'),
      ),
    );
    ctx.fact('revocation: store', database ? 'PostgreSQL' : 'none (set IOAUTH_BENCH_POSTGRES_URL)');
  } finally {
    await fleet.kill();
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
  }
}

let users = 0;

async function fanOut(
  ctx: ScaleContext,
  servers: readonly ServerProcess[],
  fleet: Fleet,
  kind: Case,
  how: 'ioauth' | 'socket.io',
): Promise<number> {
  const { sockets } = ctx.plan.revocation;
  const [first] = servers as [ServerProcess];
  // A user of its own each time: a revoked user's tokens of the same second stay refused.
  const tokens: TokenPlan = kind === 'user' ? { sub: `many-sockets-${(users += 1)}` } : {};
  await fleet.open(
    servers.map((server) => server.url),
    sockets,
    'socket.io-client',
    tokens,
    ctx.plan.inFlight,
  );
  const refs = (await fleet.refs()).map(({ ref }) => ref);
  // Token times are whole seconds, and a user revocation spares a token of its own second unless it names the
  // token's session (one the store had when it ran: the bench's sessions are not in it). A user revoking all their
  // sessions waits no second in real use; here the revocation comes in the second after the last token.
  if (kind === 'user') await sleep(1000 - (Date.now() % 1000) + 10);
  await fleet.mark();
  const start = monotonicMs();
  if (how === 'ioauth') {
    await done(
      first,
      kind === 'sessions'
        ? { type: 'revoke-many', sessions: refs.map(({ sid, sub }) => ({ sid, sub })) }
        : { type: 'revoke-user', sub: tokens.sub as string },
    );
  } else {
    await done(
      first,
      kind === 'sessions'
        ? { type: 'disconnect-many', socketIds: refs.map(({ socketId }) => socketId) }
        : { type: 'disconnect-all' },
    );
  }
  const last = await fleet.wait('disconnected', TIMEOUT_MS);
  const stats = await fleet.stats();
  const revoked = stats.authErrors['token_revoked'] ?? 0;
  ctx.check(
    `revocation fan-out (${kind}, ${how}): all ${sockets} closed${how === 'ioauth' ? ' with token_revoked' : ''}`,
    stats.connected === 0 && (how !== 'ioauth' || revoked === sockets),
    describe(stats),
  );
  await fleet.close();
  return last - start;
}
