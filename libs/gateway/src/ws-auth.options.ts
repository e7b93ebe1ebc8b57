import type { Server } from 'socket.io';

import type { WsIdentity } from './identity/ws-identity.js';
import type { AppClaims, NamespacePolicyContext, RoomPolicyContext } from './policy/policy-predicate.js';

// The predicates below are declared as methods on purpose: a rule typed for the application's claims, such as
// `RoomPolicyRule<{ tenant: string }>`, then still fits the options' lists (method parameters are bivariant).

/** What a namespace asks of a handshake, and of every in-band refresh on it. */
export interface NamespacePolicy<Claims extends AppClaims = AppClaims> {
  /** `required`: a valid token or the handshake is refused; `optional`: anonymous sockets allowed too. */
  auth: 'required' | 'optional';
  /** Every one of these roles, or `forbidden`. */
  roles?: readonly string[];
  /** Every one of these scopes, or `forbidden`. */
  scopes?: readonly string[];
  /**
   * The application's own check, asked once the roles and scopes pass; `identity` is undefined for an anonymous
   * socket on an `optional` namespace. Only exactly `true` (or a promise of it) admits: any other answer, a throw,
   * a rejection or no answer within 5 s is `forbidden`, and the last three are logged as errors.
   */
  allow?(
    identity: WsIdentity<Claims> | undefined,
    context: NamespacePolicyContext,
  ): boolean | Promise<boolean>;
}

/** A namespace policy and the namespaces it covers: a name such as `/admin`, or a pattern for dynamic ones. */
export interface NamespacePolicyRule<Claims extends AppClaims = AppClaims> extends NamespacePolicy<Claims> {
  namespace: string | RegExp;
}

/**
 * What a socket needs to join a room and to stay in it: a user with these grants, whom the predicate (if any)
 * admits. Anonymous sockets never join a room a rule covers. A refresh or a grants cut that fails it makes the socket
 * leave.
 */
export interface RoomPolicyRule<Claims extends AppClaims = AppClaims> {
  room: string | RegExp;
  /** Every one of these roles. */
  roles?: readonly string[];
  /** Every one of these scopes. */
  scopes?: readonly string[];
  /**
   * The application's own check, asked once the roles and scopes pass, on a join, an in-band refresh and a
   * recovery. Only exactly `true` (or a promise of it) admits: any other answer, a throw, a rejection or no answer
   * within 5 s refuses (`forbidden` on a join), and the last three are logged as errors.
   */
  allow?(identity: WsIdentity<Claims>, context: RoomPolicyContext): boolean | Promise<boolean>;
}

/** A budget of events: `perSecond` on average, and up to `burst` at once after a quiet spell. */
export interface EventBudget {
  perSecond: number;
  burst: number;
}

/** A socket.io adapter, as `server.adapter()` takes it (such as `@ioauth/redis`'s `socketIoAdapter()`). */
export type SocketIoAdapter = Parameters<Server['adapter']>[0];

/** Options of `WsAuthModule.forRoot`. Token verification itself is configured by `AuthCoreModule`. */
export interface WsAuthOptions {
  /** Handshakes allowed per client address and minute, counted before any token work; default 300. */
  handshakeIpLimit?: number;
  /** Accept `?token=` on the handshake; default false, since query strings end up in access logs (RFC 6750 2.3). */
  allowQueryToken?: boolean;
  /**
   * Which proxies may set `X-Forwarded-For` for the handshake limit: `false` (none, the default), a hop count, or
   * addresses, CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal`, as Express's `trust proxy`.
   */
  trustProxy?: false | number | readonly string[];
  /** The socket.io adapter of every server, as `@ioauth/redis`'s to share broadcasts across processes. */
  adapter?: SocketIoAdapter;
  /** Namespace policies, first match wins; a namespace no rule matches needs a valid token. */
  namespaces?: readonly NamespacePolicyRule[];
  /**
   * Room policies, first match wins; enforced by `WsAuthService.join`, each in-band refresh, each cut of the user's
   * grants and recovery.
   */
  rooms?: readonly RoomPolicyRule[];
  /**
   * Seconds ahead of `exp` that `auth:expiring` is sent (a third of the token's lifetime if that is shorter); also the
   * time a socket whose grants were cut has to refresh in-band.
   */
  refreshWindow?: number;
  /** Width in ms of the expiry scheduler's slots: the precision of `auth:expiring` and of closing at `exp`. */
  expiryResolutionMs?: number;
  /** Events a socket may send (every `@SubscribeMessage` handler, `whoami`, `auth:refresh`): 100/s, bursts of 200. */
  eventBudget?: EventBudget;
  /** `auth:refresh` a socket may send on top, each a signature check: 30 a minute, bursts of 5. */
  refreshBudget?: EventBudget;
  /** Over-budget events a socket is forgiven before `auth:error` `rate_limited` and a disconnect: 1/s, bursts of 20. */
  refusalBudget?: EventBudget;
}
