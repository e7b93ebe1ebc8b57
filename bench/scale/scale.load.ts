import { randomUUID } from 'node:crypto';

import jwt from 'jsonwebtoken';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

import { callbackTokenSource, IoauthSocket } from '@ioauth/client';

import {
  monotonicMs,
  type LoadReply,
  type LoadRequest,
  type LoadStats,
  type MintSpec,
  type OpenRequest,
  type SocketRef,
  type TokenPlan,
} from './scale.protocol.js';

// A load process of bench:scale (forked by scale.load-process.ts): it opens and holds its share of the sockets from
// its own loopback source address, counts what they hear, and answers the parent over IPC. Its sockets' work never
// lands on a gateway's CPU figures, and its file descriptors count against its own limit, not theirs.

const [, , name = 'load', localAddress = '127.0.0.1', mintJson = '{}'] = process.argv;
const mint = JSON.parse(mintJson) as MintSpec;
const LIFETIME_S = 3600;
const POLL_MS = 50;
// Codes the contract has a client retry after a while: the gateway is shedding load, it did not refuse the token.
const RETRIED: ReadonlySet<unknown> = new Set(['unavailable', 'rate_limited']);

interface Held {
  index: number;
  url: string;
  sid: string;
  sub: string;
  socket: Socket;
  ioauth?: IoauthSocket;
  token: string;
  connectedOnce: boolean;
  connectedAt: number;
  disconnectedAt?: number;
  refreshedAt?: number;
  heardSeq: number;
  heardAt: number;
}

let held: Held[] = [];
let stats: LoadStats = emptyStats();

function emptyStats(): LoadStats {
  return {
    held: 0,
    connected: 0,
    reconnects: 0,
    disconnects: 0,
    refusals: 0,
    refusalCodes: {},
    retries: 0,
    cpu: 0,
    expiring: 0,
    refreshed: 0,
    unauthorized: 0,
    authErrors: {},
  };
}

const count = (counts: Record<string, number>, code: string) => {
  counts[code] = (counts[code] ?? 0) + 1;
};

// jsonwebtoken signs with node:crypto in about 20 µs, where jose's WebCrypto path took 180 µs: at 100,000 sockets
// the load processes' own CPU is what limits how fast they connect on two cores.
function signToken(sid: string, sub: string, iat: number, exp: number): string {
  return jwt.sign(
    {
      sid,
      scope: 'x chat:read',
      roles: ['member'],
      iss: 'ioauth',
      aud: 'ioauth',
      sub,
      iat,
      nbf: iat,
      exp,
      jti: randomUUID(),
    },
    mint.secret,
    { algorithm: 'HS256', keyid: mint.kid, header: { alg: 'HS256', typ: 'at+jwt' } },
  );
}

// The first token follows the plan (the storm's shared expiry); every later one, as a refresh would give it, lives
// an hour from now.
function tokensFor(entry: Pick<Held, 'sid' | 'sub'>, plan: TokenPlan): () => string {
  let first = plan.first;
  return () => {
    const now = Math.floor(Date.now() / 1000);
    const { iat, exp } = first ?? { iat: now, exp: now + LIFETIME_S };
    first = undefined;
    return signToken(entry.sid, entry.sub, iat, exp);
  };
}

function follow(entry: Held): void {
  const { socket } = entry;
  socket.on('connect', () => {
    if (entry.connectedOnce) stats.reconnects += 1;
    entry.connectedOnce = true;
    entry.connectedAt = monotonicMs();
  });
  socket.on('disconnect', () => {
    stats.disconnects += 1;
    entry.disconnectedAt ??= monotonicMs();
  });
  socket.on('connect_error', (error: Error & { data?: { code?: unknown } }) => {
    if (typeof error.data?.code !== 'string') return;
    // Every code is listed; only a refusal that no retry can mend counts as one.
    count(stats.refusalCodes, error.data.code);
    if (!RETRIED.has(error.data.code)) stats.refusals += 1;
  });
  socket.on('auth:expiring', () => {
    stats.expiring += 1;
  });
  socket.on('auth:error', ({ code }: { code: string }) => count(stats.authErrors, code));
  socket.on('bench:broadcast', ({ seq }: { seq: number }) => {
    entry.heardSeq = seq;
    entry.heardAt = monotonicMs();
  });
  entry.ioauth?.on('refreshed', () => {
    stats.refreshed += 1;
    entry.refreshedAt ??= monotonicMs();
  });
  entry.ioauth?.on('unauthorized', () => {
    stats.unauthorized += 1;
  });
}

type Options = Partial<ManagerOptions & SocketOptions> & { localAddress: string };

async function openOne(request: OpenRequest, index: number): Promise<Held> {
  const url = request.urls[index % request.urls.length] as string;
  const sid = randomUUID();
  const sub = request.tokens.sub ?? `${name}-user-${index}`;
  const next = tokensFor({ sid, sub }, request.tokens);
  const options: Options = { transports: ['websocket'], forceNew: true, localAddress };
  let entry: Held;
  if (request.client === 'ioauth') {
    // The SDK's defaults (backoff from 1 s to 30 s with 50% jitter), as an application ships them.
    const ioauth = new IoauthSocket({
      url,
      tokens: callbackTokenSource(() => {
        const token = next();
        entry.token = token;
        return token;
      }),
      socket: options,
    });
    entry = fresh(index, url, sid, sub, ioauth.socket as Socket, '');
    entry.ioauth = ioauth;
  } else {
    const token = next();
    const socket = io(url, { ...options, reconnection: false, auth: { token } });
    entry = fresh(index, url, sid, sub, socket, token);
  }
  follow(entry);
  await new Promise<void>((resolve, reject) => {
    const onConnect = () => {
      entry.socket.off('connect_error', onError);
      resolve();
    };
    let retries = 0;
    const onError = (error: Error & { data?: { code?: unknown } }) => {
      // A transport error (a handshake that timed out on an overloaded machine), or a gateway shedding load: the SDK
      // retries by itself; a plain socket does as the SDK would, a few times after a second or so.
      const retried = error.data === undefined || RETRIED.has(error.data.code);
      if (entry.ioauth && retried) return;
      if (retried && retries < 5) {
        retries += 1;
        stats.retries += 1;
        setTimeout(() => entry.socket.connect(), 500 + Math.random() * 1000);
        return;
      }
      entry.socket.off('connect', onConnect);
      reject(new Error(`${name}: connect_error ${error.message} ${JSON.stringify(error.data ?? {})}`));
    };
    entry.socket.once('connect', onConnect);
    entry.socket.on('connect_error', onError);
    if (entry.ioauth) entry.ioauth.connect();
  });
  return entry;
}

function fresh(index: number, url: string, sid: string, sub: string, socket: Socket, token: string): Held {
  return {
    index,
    url,
    sid,
    sub,
    socket,
    token,
    connectedOnce: false,
    connectedAt: 0,
    heardSeq: -1,
    heardAt: 0,
  };
}

async function open(request: OpenRequest): Promise<LoadReply> {
  const start = monotonicMs();
  const base = held.length;
  let next = 0;
  const opened: Held[] = [];
  const worker = async () => {
    while (next < request.count) {
      const i = base + next;
      next += 1;
      opened.push(await openOne(request, i));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(request.inFlight, request.count) }, worker));
  } finally {
    // In index order, whatever order they connected in: `refs` and `closed-at` look sockets up by index.
    held.push(...opened.sort((a, b) => a.index - b.index));
  }
  return { type: 'opened', ms: monotonicMs() - start };
}

/** Polls until `done()` answers a value, or fails naming `what` after `timeoutMs`. */
async function until<T>(what: string, timeoutMs: number, done: () => T | undefined): Promise<T> {
  const deadline = monotonicMs() + timeoutMs;
  for (;;) {
    const value = done();
    if (value !== undefined) return value;
    if (monotonicMs() > deadline) throw new Error(`${name}: ${what} not done in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

// The latest of the times `pick` gives every held socket, or undefined while one has none yet: polled every few
// milliseconds over 12,500 sockets, so it allocates nothing.
function latest(entries: readonly Held[], pick: (entry: Held) => number | undefined): number | undefined {
  let last = 0;
  for (const entry of entries) {
    const time = pick(entry);
    if (time === undefined) return undefined;
    if (time > last) last = time;
  }
  return last;
}

function wait(until_: 'connected' | 'disconnected' | 'refreshed', timeoutMs: number): Promise<LoadReply> {
  const pick: Record<typeof until_, (entry: Held) => number | undefined> = {
    connected: (entry) => (entry.socket.connected ? entry.connectedAt : undefined),
    disconnected: (entry) => entry.disconnectedAt,
    refreshed: (entry) => entry.refreshedAt,
  };
  return until(`every socket ${until_} (${held.length})`, timeoutMs, () => latest(held, pick[until_])).then(
    (at) => ({ type: 'at', at }),
  );
}

function snapshot(): LoadStats {
  let connected = 0;
  for (const entry of held) if (entry.socket.connected) connected += 1;
  const { user, system } = process.cpuUsage();
  return { ...stats, held: held.length, connected, cpu: user + system };
}

async function handle(request: LoadRequest): Promise<LoadReply> {
  switch (request.type) {
    case 'open':
      stats = emptyStats();
      return open(request);
    case 'stats':
      return { type: 'stats', stats: snapshot() };
    case 'refs': {
      const entries = request.indexes ? request.indexes.map((i) => held[i] as Held) : held;
      const refs: SocketRef[] = entries.map(({ index, url, socket, sid, sub }) => ({
        index,
        url,
        socketId: socket.id ?? '',
        sid,
        sub,
      }));
      return { type: 'refs', refs };
    }
    case 'wait':
      return wait(request.until, request.timeoutMs);
    case 'mark':
      for (const entry of held) {
        entry.disconnectedAt = undefined;
        entry.refreshedAt = undefined;
      }
      return { type: 'done' };
    case 'broadcast': {
      const at = await until(`broadcast ${request.seq} heard`, request.timeoutMs, () =>
        latest(held, (entry) =>
          !entry.socket.connected ? 0 : entry.heardSeq >= request.seq ? entry.heardAt : undefined,
        ),
      );
      return { type: 'at', at };
    }
    case 'closed-at': {
      const entries = request.indexes.map((i) => held[i] as Held);
      await until('sockets closed', request.timeoutMs, () =>
        latest(entries, (entry) => entry.disconnectedAt),
      );
      return { type: 'times', at: entries.map((entry) => entry.disconnectedAt as number) };
    }
    case 'ping-all': {
      const answers = await Promise.all(
        held.map(
          (entry) =>
            entry.socket.timeout(request.timeoutMs).emitWithAck('ping', { token: entry.token }) as Promise<{
              ok?: boolean;
            }>,
        ),
      );
      const refused = answers.filter((answer) => answer.ok !== true).length;
      if (refused > 0) throw new Error(`${name}: ${refused} pings refused`);
      return { type: 'done' };
    }
    case 'close':
      for (const entry of held) {
        if (entry.ioauth) entry.ioauth.close();
        else entry.socket.close();
      }
      held = [];
      return { type: 'done' };
  }
}

process.on('message', (request: LoadRequest) => {
  handle(request).then(
    (reply) => process.send?.(reply),
    (error: unknown) =>
      process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
// The bench going away (even killed) must not leave load behind.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'done' } satisfies LoadReply);
