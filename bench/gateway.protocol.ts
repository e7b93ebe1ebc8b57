// What the gateway bench (client side, bench process) and its server processes (gateway.server.ts) say over IPC.

export type GatewayAlgorithm = 'HS256' | 'ES256';

/** One server under test, booted in its own process. */
export interface ServerSpec {
  /**
   * `socket.io`: a bare socket.io server, no authentication (the limit). `thream`: the same with
   * `@thream/socketio-jwt`'s `authorize()` middleware. `nest`: a Nest app with the plain `IoAdapter` and no
   * `WsAuthModule`. `ioauth`: a Nest app with `WsAuthModule` and `IoauthIoAdapter`.
   */
  stack: 'socket.io' | 'thream' | 'nest' | 'ioauth';
  algorithm: GatewayAlgorithm;
  /** ioauth: the HS256 secret or the ES256 private key (PEM); thream: the secret or the public key (PEM). */
  key: string;
  /** Nest stacks: whether the `ping` handler is behind `@WsAuth()` and `@RequireScopes('x')`. */
  guarded: boolean;
  /**
   * Port to listen on at once: a number (0: any free one), or `stable`: a free one below Linux's ephemeral range,
   * which no outgoing connection can take while a storm's server is down. Unset: boot, then wait for `listen`.
   */
  port?: number | 'stable';
  /**
   * ioauth: `REDIS_URL`, for a cluster whose revocations and broadcasts cross processes; socket.io: the same Redis
   * through `@socket.io/redis-adapter`, the cluster without ioauth.
   */
  redisUrl?: string;
  /** ioauth: `DATABASE_URL`: the store, whose revocation log every process catches up from. */
  databaseUrl?: string;
}

export type ServerRequest =
  | { type: 'spec'; spec: ServerSpec }
  | { type: 'listen'; port: number }
  /** Waits until the server holds `clients` engine.io clients (unset: at once), then reports its counters. */
  | { type: 'sample'; clients?: number }
  /** Collects garbage, then reports memory. */
  | { type: 'memory' }
  /** ioauth: revokes a session as a logout does: recorded in the store (when there is one), then on the bus. */
  | { type: 'revoke'; sid: string; sub: string }
  /** ioauth: revokes every one of these sessions at once, each as its own logout (bench/scale). */
  | { type: 'revoke-many'; sessions: { sid: string; sub: string }[] }
  /** ioauth: revokes every session of a user, as a disable or an admin kick does. */
  | { type: 'revoke-user'; sub: string }
  /** Closes a socket wherever it is, through socket.io's adapter: `io.in(id).disconnectSockets(true)`. */
  | { type: 'disconnect'; socketId: string }
  /** The same for each of these sockets, all at once. */
  | { type: 'disconnect-many'; socketIds: string[] }
  /** Closes every socket of the cluster: `io.disconnectSockets(true)`. */
  | { type: 'disconnect-all' }
  /** Sends `bench:broadcast` `{seq}` to every socket of the cluster: `io.emit`. */
  | { type: 'broadcast'; seq: number }
  /** Starts a window over which CPU time and event-loop lag are measured. */
  | { type: 'window-start' }
  /** Ends the window: its figures. */
  | { type: 'window-end' }
  | { type: 'stop' };

/** The server's counters: CPU time of the whole process (µs, user + system) and sockets connected so far. */
export interface ServerSample {
  cpu: number;
  connections: number;
  clients: number;
}

/** What a server did over a window: CPU time (µs), wall time (ms) and event-loop delay (ms). */
export interface ServerWindow {
  cpu: number;
  wallMs: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
}

export type ServerReply =
  | { type: 'booted' }
  | { type: 'listening'; port: number; sample: ServerSample }
  | { type: 'sample'; sample: ServerSample }
  | { type: 'memory'; heapUsed: number; rss: number }
  | { type: 'window'; window: ServerWindow }
  | { type: 'done' }
  | { type: 'error'; message: string };
