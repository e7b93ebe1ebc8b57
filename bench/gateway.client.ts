import { performance } from 'node:perf_hooks';

import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

// The client side of the gateway bench, run in the bench process: the real socket.io-client, websocket transport,
// one connection (`forceNew`) per socket, as browsers and the e2e suites connect.

/** The handshake `auth` payload of the i-th connection: each server is given tokens in the form it reads. */
export type AuthFor = (i: number) => Record<string, unknown>;

type Options = Partial<ManagerOptions & SocketOptions>;

const BASE: Options = { transports: ['websocket'], forceNew: true, reconnection: false };

// Nothing here may wait forever: CI runs the bench on busy machines and must fail rather than hang.
const TIMEOUT_MS = 60_000;

function refused(error: Error & { data?: unknown }): Error {
  return new Error(`connect_error: ${error.message} ${JSON.stringify(error.data ?? {})}`);
}

/**
 * Runs tasks, at most `inFlight` at a time, starting new ones while `more()` says so; `task(i)` resolves when task i
 * is done. Resolves with the number of tasks run.
 */
async function pool(
  inFlight: number,
  more: (started: number) => boolean,
  task: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (more(next)) {
      const i = next;
      next += 1;
      await task(i);
    }
  };
  await withTimeout(Promise.all(Array.from({ length: inFlight }, worker)), 'clients');
  return next;
}

/** `work`, or an error naming `what` once `ms` have passed. */
export async function withTimeout<T>(work: Promise<T>, what: string, ms = TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Connects one socket; resolves once the server has accepted it, rejects on `connect_error`. */
export function connect(url: string, auth: Record<string, unknown>, options: Options = {}): Promise<Socket> {
  const socket = io(url, { ...BASE, ...options, auth });
  return new Promise((resolve, reject) => {
    // Each listener removes the other: a socket that reconnects later must not be closed by its first error.
    const onConnect = () => {
      socket.off('connect_error', onError);
      resolve(socket);
    };
    const onError = (error: Error) => {
      socket.off('connect', onConnect);
      socket.close();
      reject(refused(error));
    };
    socket.once('connect', onConnect);
    socket.once('connect_error', onError);
  });
}

/**
 * Handshakes for `sliceMs` (and at least `atLeast` of them), `inFlight` at a time, each a fresh connection closed as soon as it is accepted.
 * Resolves with their number, each connect's latency (from `io()` to `connect`) and the wall time of the whole.
 */
export async function handshakes(
  url: string,
  auth: AuthFor,
  { sliceMs, atLeast = 0 }: { sliceMs: number; atLeast?: number },
  inFlight: number,
): Promise<{ count: number; latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  const start = performance.now();
  const count = await pool(
    inFlight,
    (started) => started < atLeast || performance.now() - start < sliceMs,
    async (i) => {
      const begin = performance.now();
      const socket = await connect(url, auth(i));
      latencies.push(performance.now() - begin);
      socket.disconnect();
    },
  );
  return { count, latencies, wallMs: performance.now() - start };
}

/** Connects expecting a refusal: resolves on a `connect_error` that carries a code, rejects if the server accepts. */
function refusal(url: string, auth: Record<string, unknown>): Promise<void> {
  const socket = io(url, { ...BASE, auth });
  return new Promise<void>((resolve, reject) => {
    socket.once('connect', () => reject(new Error('a hostile handshake was accepted')));
    socket.once('connect_error', (error: Error & { data?: { code?: unknown } }) =>
      typeof error.data?.code === 'string' ? resolve() : reject(refused(error)),
    );
  }).finally(() => socket.close());
}

/**
 * Handshakes the server refuses, for `sliceMs` (and at least `atLeast` of them), `inFlight` at a time; resolves with
 * their number and the wall time.
 */
export async function refusals(
  url: string,
  auth: AuthFor,
  { sliceMs, atLeast = 0 }: { sliceMs: number; atLeast?: number },
  inFlight: number,
): Promise<{ count: number; wallMs: number }> {
  const start = performance.now();
  const count = await pool(
    inFlight,
    (started) => started < atLeast || performance.now() - start < sliceMs,
    (i) => refusal(url, auth(i)),
  );
  return { count, wallMs: performance.now() - start };
}

/** Opens `count` sockets, `inFlight` at a time, and keeps them open. */
export async function openSockets(
  url: string,
  auth: AuthFor,
  count: number,
  inFlight: number,
  options: Options = {},
): Promise<Socket[]> {
  const sockets: Socket[] = [];
  try {
    await pool(
      Math.min(inFlight, count),
      (started) => started < count,
      async (i) => {
        sockets.push(await connect(url, auth(i), options));
      },
    );
  } catch (error) {
    closeAll(sockets);
    throw error;
  }
  return sockets;
}

export function closeAll(sockets: readonly Socket[]): void {
  for (const socket of sockets) socket.close();
}

/**
 * Resolves once every socket has emitted `event` (each counted once; `connect` counts a reconnect too). Rejects at
 * once if the server refuses a socket: a refused socket never reconnects by itself.
 */
export async function everyOne(sockets: readonly Socket[], event: 'connect' | 'disconnect'): Promise<void> {
  let done = 0;
  const cleanups: (() => void)[] = [];
  const all = Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve, reject) => {
          const onEvent = () => {
            done += 1;
            resolve();
          };
          // Transport errors (the port not listening yet) come without `data`: the client retries those.
          const onError = (error: Error & { data?: unknown }) => {
            if (error.data !== undefined) reject(refused(error));
          };
          socket.once(event, onEvent);
          socket.on('connect_error', onError);
          cleanups.push(() => {
            socket.off(event, onEvent);
            socket.off('connect_error', onError);
          });
        }),
    ),
  );
  try {
    await withTimeout(all, `every socket's ${event}`);
  } catch (error) {
    throw new Error(`${(error as Error).message} (${done} of ${sockets.length})`, { cause: error });
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
}

/**
 * Acknowledged `ping`s on one socket for `sliceMs`, `inFlight` outstanding at a time; resolves with their number
 * and the wall time.
 */
export async function pings(
  socket: Socket,
  sliceMs: number,
  inFlight: number,
): Promise<{ count: number; wallMs: number }> {
  const start = performance.now();
  const count = await pool(
    inFlight,
    () => performance.now() - start < sliceMs,
    async () => {
      const answer = (await socket.emitWithAck('ping', {})) as { ok?: boolean; error?: unknown };
      if (answer.ok !== true) throw new Error(`ping refused: ${JSON.stringify(answer)}`);
    },
  );
  return { count, wallMs: performance.now() - start };
}
