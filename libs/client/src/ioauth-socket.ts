import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

import type {
  ConnectErrorCode,
  ConnectErrorData,
  ErrorCode,
  IoauthClientEvents,
  IoauthServerEvents,
} from '@ioauth/contracts';

import { realScheduler, type Scheduler } from './clock.js';
import { TypedEmitter } from './emitter.js';
import { IoauthError, isIoauthError } from './ioauth.error.js';
import type { TokenSource } from './tokens/token-source.js';

/** Where the connection stands, for the page to show. */
export type ConnectionState =
  'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'closed';

/** Events of `IoauthSocket`. */
export interface IoauthSocketEvents {
  state: (state: ConnectionState) => void;
  /** The token was refreshed in-band; the socket stays open until the new `exp`. */
  refreshed: (payload: { exp: number }) => void;
  /** The session is over (revoked, refresh refused, token refused): the socket stopped and will not reconnect. */
  unauthorized: (error: IoauthError) => void;
  /**
   * The user's grants changed while connected (`auth:expiring` with `reason: "grants_changed"`): the socket refreshed
   * its token at once and these are the grants it holds now, as `whoami` reports them.
   */
  grants: (grants: { scope: string[]; roles: string[] }) => void;
}

/** Options of `IoauthSocket`. */
export interface IoauthSocketOptions {
  /** The gateway and namespace, such as `https://app.example.com/` or `https://app.example.com/admin`. */
  url: string;
  tokens: TokenSource;
  /** socket.io-client options; `auth` is the SDK's. Defaults: websocket transport, backoff 1 s to 30 s with jitter. */
  socket?: Partial<Omit<ManagerOptions & SocketOptions, 'auth'>>;
  /** The socket.io-client factory; tests pass a fake. */
  io?: typeof io;
  scheduler?: Scheduler;
}

// Codes after which trying again cannot help: the app must log the user in again.
const FINAL: ReadonlySet<ErrorCode> = new Set([
  'token_missing',
  'token_invalid',
  'token_revoked',
  'forbidden',
  'invalid_token',
  'invalid_credentials',
  'refresh_token_reused',
]);

/**
 * A socket.io connection that keeps itself authenticated: every connect and reconnect asks the token source for a
 * valid token (so a server restart never replays an expired one), `auth:expiring` triggers a refresh sent in-band,
 * `auth:error token_expired` a refresh and reconnect, and a revocation or refused refresh stops it with
 * `unauthorized`. Reconnection backs off with jitter, so that a restarted server is not met by a stampede.
 *
 * The type parameters are the app's event maps, built with `WithIoauthServerEvents` and `WithIoauthClientEvents`
 * of `@ioauth/contracts`; they type `socket` for the app's own events.
 */
export class IoauthSocket<
  ServerEvents extends IoauthServerEvents = IoauthServerEvents,
  ClientEvents extends IoauthClientEvents = IoauthClientEvents,
> extends TypedEmitter<IoauthSocketEvents> {
  /** The underlying socket.io-client socket, typed by the app's event maps: use it for the app's own events. */
  readonly socket: Socket<ServerEvents, ClientEvents>;
  // The same socket typed by ioauth's maps alone, so the SDK's own events type-check whatever the app's maps are.
  private readonly ioauth: Socket<IoauthServerEvents, IoauthClientEvents>;
  private readonly tokens: TokenSource;
  private readonly scheduler: Scheduler;
  private readonly backoff: { min: number; max: number; jitter: number };
  private current: ConnectionState = 'idle';
  private attempts = 0;
  private retry: unknown;
  private stopped = true;
  private tokenFailure: unknown;
  // A grants change not yet reported: `grants` follows the next successful refresh or connect.
  private grantsChanged = false;

  constructor(options: IoauthSocketOptions) {
    super();
    this.tokens = options.tokens;
    this.scheduler = options.scheduler ?? realScheduler;
    const settings = {
      transports: ['websocket'],
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 30_000,
      randomizationFactor: 0.5,
      ...options.socket,
    };
    this.backoff = {
      min: settings.reconnectionDelay,
      max: settings.reconnectionDelayMax,
      jitter: settings.randomizationFactor,
    };
    const socket = (options.io ?? io)(options.url, {
      ...settings,
      autoConnect: false,
      // Called on every connect and reconnect: never a stale token.
      auth: (send) => {
        this.tokenFailure = undefined;
        this.tokens.accessToken().then(
          (token) => send({ token }),
          (error: unknown) => {
            this.tokenFailure = error;
            send({});
          },
        );
      },
    });
    this.socket = socket;
    this.ioauth = socket;
    this.ioauth.on('connect', () => {
      this.attempts = 0;
      this.setState('connected');
      // The grants changed, but the in-band refresh did not get through: this connection's token has the new ones.
      if (this.grantsChanged) void this.reportGrants();
    });
    this.ioauth.on('disconnect', (reason) => {
      if (this.stopped) return;
      // socket.io reconnects by itself after a network loss; after a server-side disconnect the SDK decides.
      if (reason !== 'io server disconnect' && reason !== 'io client disconnect')
        this.setState('reconnecting');
    });
    this.ioauth.on('connect_error', (error) =>
      this.onConnectError(error as Error & { data?: ConnectErrorData }),
    );
    this.ioauth.on('auth:expiring', ({ reason }) => {
      // A downgrade must be answered within the refresh window, whatever `exp` says: refresh at once in both cases.
      if (reason === 'grants_changed') this.grantsChanged = true;
      void this.refreshInBand();
    });
    this.ioauth.on('auth:error', ({ code, message }) => this.onAuthError(code, message));
  }

  /** The current connection state. */
  get state(): ConnectionState {
    return this.current;
  }

  /** Connects (again, after `close` or `unauthorized`). */
  connect(): void {
    this.stopped = false;
    this.setState('connecting');
    this.ioauth.connect();
  }

  /** Disconnects for good; after `unauthorized` the state stays `unauthorized`, which says why. */
  close(): void {
    if (this.current === 'unauthorized') return;
    this.stop('closed');
  }

  private onConnectError(error: Error & { data?: ConnectErrorData }): void {
    if (this.stopped) return;
    if (this.tokenFailure !== undefined) return this.settle(this.tokenFailure);
    const code: ConnectErrorCode | undefined = error.data?.code;
    // No code: the transport failed (server down or restarting) and socket.io retries with its own backoff.
    if (code === undefined) return this.setState('reconnecting');
    if (code === 'token_expired') {
      // The clocks disagree, or the token expired in flight: refresh, then try again.
      this.tokens.refresh().then(
        () => this.reconnectLater(),
        (failure: unknown) => this.settle(failure),
      );
      return;
    }
    if (code === 'rate_limited' || code === 'unavailable') return this.reconnectLater();
    this.unauthorized(new IoauthError(code, error.data?.message ?? code));
  }

  private onAuthError(
    code: 'token_expired' | 'token_revoked' | 'rate_limited',
    message: string = code,
  ): void {
    if (code === 'token_revoked') return this.unauthorized(new IoauthError(code, message));
    // Closed for sending over its event budget: the session is fine, but coming straight back would only be closed
    // again, so wait the longest backoff.
    if (code === 'rate_limited') return this.reconnectLater(this.backoff.max);
    // The server closes the socket right after: reconnect with a fresh token (the auth callback refreshes).
    this.setState('reconnecting');
    this.tokens.refresh().then(
      () => this.reconnectLater(0),
      (failure: unknown) => this.settle(failure),
    );
  }

  private async refreshInBand(): Promise<void> {
    let token: string;
    try {
      token = await this.tokens.refresh();
    } catch (failure) {
      // A refused refresh ends the session; a network failure leaves the socket to close at exp and reconnect.
      if (isIoauthError(failure) && FINAL.has(failure.code)) this.unauthorized(failure);
      return;
    }
    try {
      const ack = await this.ioauth.timeout(10_000).emitWithAck('auth:refresh', { token });
      if ('error' in ack) {
        if (FINAL.has(ack.error.code)) this.unauthorized(new IoauthError(ack.error.code, ack.error.message));
        return;
      }
      this.emit('refreshed', { exp: ack.exp });
    } catch {
      // No ack in time: the expiry path reconnects with a fresh token.
      return;
    }
    if (this.grantsChanged) await this.reportGrants();
  }

  private async reportGrants(): Promise<void> {
    this.grantsChanged = false;
    try {
      const ack = await this.ioauth.timeout(10_000).emitWithAck('whoami');
      if ('error' in ack) return;
      this.emit('grants', { scope: ack.scope.split(' ').filter(Boolean), roles: [...ack.roles] });
    } catch {
      // No answer in time: ask again on the next connection, whose token carries the new grants.
      this.grantsChanged = true;
    }
  }

  private settle(failure: unknown): void {
    if (isIoauthError(failure) && FINAL.has(failure.code)) return this.unauthorized(failure);
    this.reconnectLater();
  }

  private unauthorized(error: IoauthError): void {
    this.stop('unauthorized');
    this.emit('unauthorized', error);
  }

  private stop(state: ConnectionState): void {
    this.stopped = true;
    this.grantsChanged = false;
    this.scheduler.clearTimeout(this.retry);
    this.ioauth.disconnect();
    this.setState(state);
  }

  // Exponential backoff with jitter, the same settings socket.io uses for its own reconnections.
  private reconnectLater(delay = this.nextDelay()): void {
    if (this.stopped) return;
    this.setState('reconnecting');
    this.scheduler.clearTimeout(this.retry);
    this.retry = this.scheduler.setTimeout(() => {
      if (!this.stopped) this.ioauth.connect();
    }, delay);
  }

  private nextDelay(): number {
    const base = Math.min(this.backoff.max, this.backoff.min * 2 ** this.attempts);
    this.attempts += 1;
    const spread = base * this.backoff.jitter;
    return Math.max(0, Math.round(base - spread + Math.random() * 2 * spread));
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.emit('state', state);
  }
}
