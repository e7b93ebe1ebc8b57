/** A change of the managed key set, as announced between processes: the `kid` new tokens are signed with. */
export interface KeySetChange {
  kid: string;
}

/**
 * Tells the processes sharing one key storage that the key set changed (a rotation), so that each reloads it and
 * signs with the new key at once. Messages carry key ids only, never key material: the keys travel through the
 * storage.
 */
export interface KeySetBus {
  /** Announces a change to every subscriber. */
  publish(change: KeySetChange): Promise<void>;
  /** Calls `listener` for every change announced; returns the function that stops it. */
  subscribe(listener: (change: KeySetChange) => void): () => void;
}

/** The bus of a single process, where several key stores share a storage (tests, mostly). */
export class InProcessKeySetBus implements KeySetBus {
  private readonly listeners = new Set<(change: KeySetChange) => void>();

  async publish(change: KeySetChange): Promise<void> {
    for (const listener of this.listeners) listener(change);
  }

  subscribe(listener: (change: KeySetChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
