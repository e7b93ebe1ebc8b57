/**
 * Private session ids (socket.io `pid`) whose saved state was handed to a socket, so that the same state is never
 * handed out twice. An id is forgotten when its socket saves a new state (its next recoverable disconnect), or
 * after `ttlMs`, past which the adapter has expired the saved state anyway. Entries are pruned from the oldest on
 * each claim: every entry lives `ttlMs`, so insertion order is expiry order.
 */
export class SpentSessions {
  private readonly spentUntil = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  /** Whether the saved state of `pid` was already handed out. */
  has(pid: string, now: number): boolean {
    const until = this.spentUntil.get(pid);
    return until !== undefined && until > now;
  }

  /** Marks the state of `pid` handed out; false if it already was. */
  claim(pid: string, now: number): boolean {
    this.prune(now);
    if (this.spentUntil.has(pid)) return false;
    this.spentUntil.set(pid, now + this.ttlMs);
    return true;
  }

  /** The socket of `pid` saved a new state: it may be restored once more. */
  release(pid: string): void {
    this.spentUntil.delete(pid);
  }

  /** Number of ids remembered. */
  get size(): number {
    return this.spentUntil.size;
  }

  private prune(now: number): void {
    for (const [pid, until] of this.spentUntil) {
      if (until > now) return;
      this.spentUntil.delete(pid);
    }
  }
}
