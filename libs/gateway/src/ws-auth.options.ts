/** What a namespace asks of a handshake. */
export interface NamespacePolicy {
  /** `required`: a valid token or the handshake is refused; `optional`: anonymous sockets allowed too. */
  auth: 'required' | 'optional';
  /** Every one of these roles, or `forbidden`. */
  roles?: readonly string[];
  /** Every one of these scopes, or `forbidden`. */
  scopes?: readonly string[];
}

/** A namespace policy and the namespaces it covers: a name such as `/admin`, or a pattern for dynamic ones. */
export interface NamespacePolicyRule extends NamespacePolicy {
  namespace: string | RegExp;
}

/** Grants a socket needs to stay in a room; a refresh that drops them makes the socket leave it. */
export interface RoomPolicyRule {
  room: string | RegExp;
  roles?: readonly string[];
  scopes?: readonly string[];
}

/** A budget of events: `perSecond` on average, and up to `burst` at once after a quiet spell. */
export interface EventBudget {
  perSecond: number;
  burst: number;
}

/** Options of `WsAuthModule.forRoot`. Token verification itself is configured by `AuthCoreModule`. */
export interface WsAuthOptions {
  /** Namespace policies, first match wins; a namespace no rule matches needs a valid token. */
  namespaces?: readonly NamespacePolicyRule[];
  /** Room policies, enforced by `WsAuthService.join` and again on every in-band refresh. */
  rooms?: readonly RoomPolicyRule[];
  /** Seconds ahead of `exp` that `auth:expiring` is sent (a third of the token's lifetime if that is shorter). */
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
