/** A revocation as published on the bus: one session, or every token a user held at that moment. */
export type Revocation =
  | { kind: 'session'; sid: string; sub: string; reason: string; at: number }
  | { kind: 'user'; sub: string; reason: string; at: number };

/**
 * Carries revocations to every process that verifies tokens: in-process by default, Redis pub/sub when several
 * processes share the work. It is the fast path only: a message may be lost (Redis down, a subscriber
 * reconnecting), and the `RevocationLog` of the store is what every process catches up from.
 */
export interface RevocationBus {
  /** Sends a revocation to every subscriber, this process's included. */
  publish(revocation: Revocation): Promise<void>;
  /** Calls `listener` for every revocation; returns the function that stops it. */
  subscribe(listener: (revocation: Revocation) => void): () => void;
  /**
   * Calls `listener` after a gap in which messages may have been lost (the subscriber reconnected); returns the
   * function that stops it. Absent on a bus that never loses a message.
   */
  onGap?(listener: () => void): () => void;
}

/** The bus of a single process. */
export class InProcessRevocationBus implements RevocationBus {
  private readonly listeners = new Set<(revocation: Revocation) => void>();

  async publish(revocation: Revocation): Promise<void> {
    for (const listener of this.listeners) listener(revocation);
  }

  subscribe(listener: (revocation: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
