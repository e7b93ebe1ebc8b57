import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createAdapter } from '@socket.io/redis-adapter';
import { authorize } from '@thream/socketio-jwt';
import { createClient } from 'redis';
import { Server } from 'socket.io';

import type { ServerReply, ServerRequest, ServerSample, ServerSpec } from './gateway.protocol.js';
import { ServerWindows } from './gateway.server-window.js';

// One server of the gateway bench in its own process (`fork`ed by gateway.bench.ts), so that its CPU time is its
// own and the client's work never lands on it: it boots the stack it is told, then answers the bench over IPC.

/** A booted server: it listens when told. */
export interface Running {
  listen(port: number): Promise<number>;
  close(): Promise<void>;
  /** ioauth: revokes a session through the app's `RevocationService`, as a logout does. */
  revoke?(sid: string, sub: string): Promise<void>;
  /** ioauth: revokes every session of a user, as an admin kick does. */
  revokeUser?(sub: string): Promise<void>;
}

let io: Server | undefined;
let connections = 0;

/** Counts the sockets a server accepts (after its middlewares), and keeps it for `sample`. */
function follow(server: Server): void {
  io = server;
  server.on('connection', () => {
    connections += 1;
  });
}

async function bootSocketIo(spec: ServerSpec): Promise<Running> {
  const http = createServer();
  const server = new Server(http);
  if (spec.stack === 'thream') server.use(authorize({ secret: spec.key, algorithms: [spec.algorithm] }));
  // The cluster without ioauth: socket.io's own Redis adapter, as its documentation sets it up.
  const redis = spec.redisUrl === undefined ? [] : [createClient({ url: spec.redisUrl })];
  if (redis[0]) {
    const subscriber = redis[0].duplicate();
    redis.push(subscriber);
    await Promise.all(redis.map((client) => client.connect()));
    server.adapter(createAdapter(redis[0], subscriber));
  }
  follow(server);
  return {
    listen: (port) =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, '127.0.0.1', () => resolve((http.address() as AddressInfo).port));
      }),
    close: async () => {
      await new Promise<void>((resolve) => void server.close(() => resolve()));
      await Promise.all(redis.map((client) => client.quit()));
    },
  };
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

const sample = (): ServerSample => ({
  cpu: cpuNow(),
  connections,
  clients: io?.engine.clientsCount ?? 0,
});

// Polled rather than hooked, so that the bench adds no listener of its own to the sockets it measures; a poll
// every few ms costs microseconds.
async function settle(clients: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((io?.engine.clientsCount ?? 0) !== clients) {
    if (Date.now() > deadline)
      throw new Error(`server holds ${io?.engine.clientsCount} clients, expected ${clients}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function memory(): Promise<ServerReply> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the server with --expose-gc');
  // Twice, with a turn between: the first collection may leave finalizers and weak callbacks to run.
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { type: 'memory', heapUsed, rss };
}

// Outgoing connections take their local port from 32768-60999 (Linux's default range), and so does `listen(0)`: a
// client reconnecting while the server is down could take the server's port and make the restart fail.
async function listenStable(server: Running): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await server.listen(20_000 + Math.floor(Math.random() * 12_000));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw error;
    }
  }
}

let running: Running | undefined;
let dataDir: string | undefined;
const windows = new ServerWindows();

async function handle(request: ServerRequest): Promise<ServerReply | undefined> {
  switch (request.type) {
    case 'spec': {
      const { spec } = request;
      dataDir = await mkdtemp(join(tmpdir(), 'ioauth-bench-gateway-'));
      // Nest and ioauth are imported only by the servers that use them: a bare socket.io server boots in a tenth
      // of the time, which matters for the reconnect storm's successors.
      running =
        spec.stack === 'nest' || spec.stack === 'ioauth'
          ? await (await import('./gateway.nest-app.js')).bootNest(spec, dataDir, follow)
          : await bootSocketIo(spec);
      if (spec.port === undefined) return { type: 'booted' };
      const port = spec.port === 'stable' ? await listenStable(running) : await running.listen(spec.port);
      return { type: 'listening', port, sample: sample() };
    }
    case 'listen': {
      if (!running) throw new Error('not booted');
      const port = await running.listen(request.port);
      return { type: 'listening', port, sample: sample() };
    }
    case 'sample':
      if (request.clients !== undefined) await settle(request.clients);
      return { type: 'sample', sample: sample() };
    case 'memory':
      return memory();
    case 'revoke':
      if (!running?.revoke) throw new Error('no revocation here');
      await running.revoke(request.sid, request.sub);
      return { type: 'done' };
    case 'revoke-many': {
      const { revoke } = running ?? {};
      if (!revoke) throw new Error('no revocation here');
      await Promise.all(request.sessions.map(({ sid, sub }) => revoke(sid, sub)));
      return { type: 'done' };
    }
    case 'revoke-user':
      if (!running?.revokeUser) throw new Error('no revocation here');
      await running.revokeUser(request.sub);
      return { type: 'done' };
    case 'disconnect':
      io?.in(request.socketId).disconnectSockets(true);
      return { type: 'done' };
    case 'disconnect-many':
      for (const socketId of request.socketIds) io?.in(socketId).disconnectSockets(true);
      return { type: 'done' };
    case 'disconnect-all':
      io?.disconnectSockets(true);
      return { type: 'done' };
    case 'broadcast':
      io?.emit('bench:broadcast', { seq: request.seq });
      return { type: 'done' };
    case 'window-start':
      windows.start(cpuNow());
      return { type: 'done' };
    case 'window-end':
      return { type: 'window', window: windows.end(cpuNow()) };
    case 'stop':
      await running?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      // A clean exit, so that `--cpu-prof` writes its profile.
      process.exit(0);
  }
  return undefined;
}

const send = (reply: ServerReply) => process.send?.(reply);

process.on('message', (request: ServerRequest) => {
  handle(request).then(
    (reply) => reply && send(reply),
    (error: unknown) =>
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
// The bench going away (even killed) must not leave servers behind.
process.on('disconnect', () => process.exit(0));
