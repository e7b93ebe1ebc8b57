import type { Clock } from '../clock.js';
import type { Revocation, RevocationBus } from './revocation.js';

/**
 * What this process must refuse: revoked sessions, and users revoked as of a moment. Fed by the revocation bus and
 * by the catch-up from the store, checked on every request and socket event without I/O. An entry is kept only
 * while a token it refuses could still be valid: one access-token lifetime plus the clock tolerance after the
 * revocation.
 */
export class RevocationList {
  private readonly sessions = new Map<string, number>();
  private readonly users = new Map<string, { at: number; until: number }>();
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
    } else {
      const previous = this.users.get(revocation.sub);
      if (previous && previous.at >= revocation.at) return;
      this.users.set(revocation.sub, { at: revocation.at, until });
    }
    for (const listener of this.listeners) listener(revocation);
  }

  /** Calls `listener` for every revocation that refuses more than the list did; returns what stops it. */
  subscribe(listener: (revocation: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Whether a token is revoked: its session is, or its user was revoked at or after it was issued.
   * @param claims `iat` in seconds, as in the token.
   */
  isRevoked(claims: { sid?: string; sub: string; iat?: number }): boolean {
    this.sweep();
    if (claims.sid !== undefined && this.sessions.has(claims.sid)) return true;
    const user = this.users.get(claims.sub);
    // Whole seconds: a token issued in the same second as the revocation is refused too.
    return user !== undefined && (claims.iat === undefined || claims.iat * 1000 <= user.at);
  }

  /** Stops listening to the bus. */
  close(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  // Amortised expiry: at most one pass per second, so the per-check cost stays a map lookup.
  private sweep(): void {
    const now = this.clock.now();
    if (now < this.nextSweep) return;
    this.nextSweep = now + 1000;
    for (const [sid, until] of this.sessions) if (until <= now) this.sessions.delete(sid);
    for (const [sub, entry] of this.users) if (entry.until <= now) this.users.delete(sub);
  }
}
