import type { Clock } from '../clock.js';
import type { Revocation, RevocationBus } from './revocation.js';

/** The grants a token may still use: its own, less whatever its user lost after it was issued. */
export interface Grants {
  /** Space-separated, as in the token. */
  scope: string;
  roles: string[];
}

interface Cut {
  at: number;
  until: number;
  /** The sessions a user revocation ended, when known: see `Revocation`. */
  sids?: ReadonlySet<string>;
}

// What is known of one user: a revocation of every token (`all`), of every token but one session's (`others`, the
// latest only: each one revokes the sessions the earlier ones spared), and the grants left after every cut kept.
interface UserEntry {
  all?: Cut;
  others?: Cut & { exceptSid: string };
  grants?: Cut & { scopes: ReadonlySet<string>; roles: ReadonlySet<string> };
}

// Token times are whole seconds: a token issued in the second of a cut may be from before it or after it. It is
// covered unless the cut names the sessions it ended and the token's is not one of them (a login made after).
function coveredBy(claims: { sid?: string; iat?: number }, cut: Cut | undefined): boolean {
  if (cut === undefined) return false;
  if (claims.iat === undefined) return true;
  const second = Math.floor(cut.at / 1000);
  if (claims.iat !== second) return claims.iat < second;
  return cut.sids === undefined || claims.sid === undefined || cut.sids.has(claims.sid);
}

// The sessions a new user cut ended, with those of the cut it replaces when both fall in one second: a token of
// that second from either one's sessions stays refused.
function endedSessions(
  revocation: { sids?: string[] },
  previous: Cut | undefined,
  cut: Cut,
): ReadonlySet<string> | undefined {
  if (revocation.sids === undefined) return undefined;
  const sameSecond = previous !== undefined && Math.floor(previous.at / 1000) === Math.floor(cut.at / 1000);
  if (!sameSecond) return new Set(revocation.sids);
  return previous.sids === undefined ? undefined : new Set([...previous.sids, ...revocation.sids]);
}

/**
 * What this process must refuse: revoked sessions, users revoked as of a moment, and grants users lost. Fed by the
 * revocation bus and by the catch-up from the store, checked on every request and socket event without I/O. An
 * entry is kept only while a token it concerns could still be valid: one access-token lifetime plus the clock
 * tolerance after the revocation.
 */
export class RevocationList {
  private readonly sessions = new Map<string, number>();
  private readonly users = new Map<string, UserEntry>();
  private readonly listeners = new Set<(revocation: Revocation) => void>();
  private readonly unsubscribe: () => void;
  private nextSweep = 0;

  constructor(
    bus: RevocationBus,
    private readonly clock: Clock,
    private readonly keepMs: number,
  ) {
    this.unsubscribe = bus.subscribe((revocation) => this.add(revocation));
  }

  /**
   * Records a revocation, from the bus or the store alike. Idempotent: listeners hear only a revocation that
   * refuses more than before, so one heard twice (the bus echoes, a catch-up re-reads) closes nothing twice.
   */
  add(revocation: Revocation): void {
    const until = revocation.at + this.keepMs;
    if (until <= this.clock.now()) return;
    if (revocation.kind === 'session') {
      if (this.sessions.has(revocation.sid)) return;
      this.sessions.set(revocation.sid, until);
    } else if (!this.addToUser(revocation, { at: revocation.at, until })) {
      return;
    }
    for (const listener of this.listeners) listener(revocation);
  }

  /** Calls `listener` for every revocation that refuses more than the list did; returns what stops it. */
  subscribe(listener: (revocation: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Whether a token is revoked: its session is, or its user was revoked at or after it was issued (sparing the
   * session a partial revocation kept).
   * @param claims `iat` in seconds, as in the token.
   */
  isRevoked(claims: { sid?: string; sub: string; iat?: number }): boolean {
    this.sweep();
    if (claims.sid !== undefined && this.sessions.has(claims.sid)) return true;
    const user = this.users.get(claims.sub);
    if (user === undefined) return false;
    if (coveredBy(claims, user.all)) return true;
    return coveredBy(claims, user.others) && claims.sid !== user.others?.exceptSid;
  }

  /**
   * The grants a token may use when its user lost some after it was issued, or `undefined` when it keeps its own.
   * Gained grants are not added: they come with the next token.
   */
  narrowedGrants(claims: {
    sub: string;
    iat?: number;
    scope: string;
    roles: readonly string[];
  }): Grants | undefined {
    const cut = this.users.get(claims.sub)?.grants;
    if (cut === undefined || !coveredBy({ iat: claims.iat }, cut) || cut.until <= this.clock.now())
      return undefined;
    const scopes = claims.scope.split(' ').filter((scope) => scope !== '');
    const keptScopes = scopes.filter((scope) => cut.scopes.has(scope));
    const keptRoles = claims.roles.filter((role) => cut.roles.has(role));
    if (keptScopes.length === scopes.length && keptRoles.length === claims.roles.length) return undefined;
    return { scope: keptScopes.join(' '), roles: keptRoles };
  }

  /** Stops listening to the bus. */
  close(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  // Whether the revocation refuses more than the entry did.
  private addToUser(revocation: Exclude<Revocation, { kind: 'session' }>, cut: Cut): boolean {
    const entry = this.users.get(revocation.sub) ?? {};
    if (revocation.kind === 'grants') {
      // Intersected with the grants of a record still kept, whatever order they come in: two admins cutting
      // different grants at once must both bite, though their records may arrive in either order. A grant given back
      // in between stays cut for the older tokens alone, which is safe; their next refresh brings it.
      const previous = entry.grants;
      const scopes = new Set(revocation.scopes.filter((scope) => !previous || previous.scopes.has(scope)));
      const roles = new Set(revocation.roles.filter((role) => !previous || previous.roles.has(role)));
      if (
        previous &&
        previous.at >= cut.at &&
        scopes.size === previous.scopes.size &&
        roles.size === previous.roles.size
      )
        return false;
      entry.grants = {
        at: Math.max(cut.at, previous?.at ?? 0),
        until: Math.max(cut.until, previous?.until ?? 0),
        scopes,
        roles,
      };
    } else if (revocation.exceptSid === undefined) {
      if (entry.all && entry.all.at >= cut.at) return false;
      entry.all = { ...cut, sids: endedSessions(revocation, entry.all, cut) };
    } else {
      if (entry.others && entry.others.at >= cut.at) return false;
      entry.others = {
        ...cut,
        sids: endedSessions(revocation, entry.others, cut),
        exceptSid: revocation.exceptSid,
      };
    }
    this.users.set(revocation.sub, entry);
    return true;
  }

  // Amortised expiry: at most one pass per second, so the per-check cost stays a map lookup.
  private sweep(): void {
    const now = this.clock.now();
    if (now < this.nextSweep) return;
    this.nextSweep = now + 1000;
    for (const [sid, until] of this.sessions) if (until <= now) this.sessions.delete(sid);
    for (const [sub, entry] of this.users) {
      if (entry.all && entry.all.until <= now) delete entry.all;
      if (entry.others && entry.others.until <= now) delete entry.others;
      if (entry.grants && entry.grants.until <= now) delete entry.grants;
      if (!entry.all && !entry.others && !entry.grants) this.users.delete(sub);
    }
  }
}
