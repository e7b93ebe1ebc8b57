import { randomBytes } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';

import { AuthError, IOAUTH_CLOCK, type Clock } from '@ioauth/auth-core';

import { connectError } from '../handshake/connect-error.js';
import { wsIdentity } from '../identity/ws-identity.js';
import { mayHoldRooms } from '../policy/policy-check.js';
import { WS_AUTH_OPTIONS } from '../ws-auth.module-definition.js';
import type { WsAuthOptions } from '../ws-auth.options.js';
import { SpentSessions } from './spent-sessions.js';

type SessionAdapter = Namespace['adapter'];
type SavedSession = Awaited<ReturnType<SessionAdapter['restoreSession']>>;
type SessionToPersist = Parameters<SessionAdapter['persistSession']>[0];

// socket.io's default `maxDisconnectionDuration`.
const DEFAULT_MAX_DISCONNECTION_MS = 2 * 60 * 1000;
// socket.io-parser's `PacketType.EVENT`: how socket.io's own Socket constructor sends missed packets.
const EVENT_PACKET = 2;

/** A restored session held back from its socket until the socket is authenticated. */
interface Held {
  session: SavedSession;
  offset: string;
  spent: SpentSessions;
  restore: SessionAdapter['restoreSession'];
  persist: SessionAdapter['persistSession'];
}

/** What a recovered socket gets once connected: the rooms its new token may hold, and the packets sent to them. */
interface Granted {
  rooms: string[];
  packets: unknown[][];
}

// What socket.io's Socket keeps private, and its constructor sets from a restored session.
interface RestoredSocket {
  pid: string;
  recovered: boolean;
  packet(packet: { type: number; data: unknown[] }): void;
}

/**
 * Connection state recovery without leaks. socket.io restores a session while it builds the socket, before any
 * middleware runs: it rejoins the saved rooms, copies the saved `socket.data` and sends the missed packets, so a
 * reconnect with a revoked token, or with one lacking a room's grants, received what it should not have
 * (issue 11, item 4). The gate takes that step over on every namespace's adapter: the restored session reaches the
 * socket empty; after the handshake middleware has authenticated the NEW token, the gate keeps the saved rooms
 * whose policy that token satisfies, asks the adapter again for the packets missed in those rooms only, and hands
 * them over once every middleware has accepted the socket. A refused handshake gets nothing. Saved `socket.data`
 * is never trusted: it only tells which user the session was, and a token of another user recovers nothing. A
 * session is handed out once (OWASP ASVS V3.3.1): a second reconnect with the same `pid` starts afresh.
 *
 * Adapters without recovery (the in-memory one is the only one that has it among those ioauth installs;
 * `@socket.io/redis-adapter` restores nothing) are unaffected.
 */
@Injectable()
export class RecoveryGate {
  private readonly logger = new Logger('WsAuth');
  // Keyed by the `socket.data` object of a restored socket: the socket does not exist yet when it is held.
  private readonly held = new WeakMap<object, Held>();
  private readonly granted = new WeakMap<Socket, Granted>();
  private readonly guarded = new WeakSet<SessionAdapter>();

  constructor(
    @Inject(WS_AUTH_OPTIONS) private readonly options: WsAuthOptions,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  /** Guards a namespace whose server recovers connection state; call it right after installing the handshake middleware. */
  guard(namespace: Namespace): void {
    const recovery = namespace.server._opts.connectionStateRecovery;
    if (!recovery) return;
    this.holdBack(namespace.adapter, recovery.maxDisconnectionDuration ?? DEFAULT_MAX_DISCONNECTION_MS);
    namespace.use(this.middleware);
    // `connect` fires once every middleware has accepted the socket, before the application's `connection`.
    namespace.on('connect', this.handOver);
  }

  private holdBack(adapter: SessionAdapter, maxDisconnectionMs: number): void {
    if (this.guarded.has(adapter)) return;
    this.guarded.add(adapter);
    // Twice the adapter's own lifetime of a saved session: a session saved again while being granted lives on.
    const spent = new SpentSessions(2 * maxDisconnectionMs);
    const restore = adapter.restoreSession.bind(adapter);
    const persist = adapter.persistSession.bind(adapter);
    adapter.persistSession = (session: SessionToPersist) => {
      spent.release(session.pid);
      persist(session);
    };
    adapter.restoreSession = async (pid, offset) => {
      const session = spent.has(pid, this.clock.now()) ? null : await restore(pid, offset);
      if (!session) return null as unknown as SavedSession;
      const data = {};
      this.held.set(data, { session, offset, spent, restore, persist });
      return { sid: session.sid, pid: session.pid, rooms: [], data, missedPackets: [] };
    };
  }

  // Runs after the handshake middleware: `socket.data` holds the identity of the new token.
  private readonly middleware = (socket: Socket, next: (error?: Error) => void): void => {
    const held = this.held.get(socket.data as object);
    if (!held) return next();
    this.held.delete(socket.data as object);
    if (!held.spent.claim(held.session.pid, this.clock.now())) {
      // Two reconnects raced for one session: the other one has it, and with it this socket's id.
      this.logger.warn({
        msg: 'recovery refused: the session was recovered already',
        namespace: socket.nsp.name,
      });
      return next(connectError(new AuthError('forbidden', 'this session was recovered already')));
    }
    this.grant(socket, held).then(
      () => next(),
      (error: unknown) => {
        this.logger.error({
          msg: 'recovery failed: the socket starts afresh',
          namespace: socket.nsp.name,
          err: error,
        });
        this.startAfresh(socket);
        next();
      },
    );
  };

  private async grant(socket: Socket, held: Held): Promise<void> {
    const identity = wsIdentity(socket);
    const { session } = held;
    if (wsIdentity({ data: session.data })?.sub !== identity?.sub) {
      this.logger.warn({
        msg: 'recovery refused: the session was another user’s',
        namespace: socket.nsp.name,
      });
      this.startAfresh(socket);
      return;
    }
    const policed = session.rooms.filter((room) => room !== socket.id);
    const verdicts = mayHoldRooms(this.options.rooms ?? [], identity, policed, socket);
    const mayHold = Array.isArray(verdicts) ? verdicts : await verdicts;
    const kept = new Set(policed.filter((_room, index) => mayHold[index]));
    const rooms = session.rooms.filter((room) => room === socket.id || kept.has(room));
    let packets = session.missedPackets;
    if (rooms.length < session.rooms.length) {
      // The adapter picks missed packets by room: saved again with the kept rooms only, it picks those rooms' own.
      held.persist({ sid: session.sid, pid: session.pid, rooms, data: {} });
      packets = (await held.restore(session.pid, held.offset))?.missedPackets ?? [];
    }
    this.granted.set(socket, { rooms, packets });
    this.logger.log({
      msg: 'connection state recovered',
      sub: identity?.sub,
      namespace: socket.nsp.name,
      rooms: rooms.length,
      roomsRefused: session.rooms.length - rooms.length,
      packets: packets.length,
    });
  }

  private readonly handOver = (socket: Socket): void => {
    const granted = this.granted.get(socket);
    if (!granted) return;
    this.granted.delete(socket);
    for (const room of granted.rooms) void socket.join(room);
    const restored = socket as unknown as RestoredSocket;
    for (const data of granted.packets) restored.packet({ type: EVENT_PACKET, data });
  };

  // Not recovered, under a new private id, so that the client learns it (socket.io-client compares the `pid`).
  private startAfresh(socket: Socket): void {
    const restored = socket as unknown as RestoredSocket;
    restored.recovered = false;
    restored.pid = randomBytes(15).toString('base64url');
  }
}
