/** A small typed event emitter: the SDK runs in browsers, where `node:events` does not exist. */
export class TypedEmitter<Events extends { [K in keyof Events]: (payload: never) => void }> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  /** Calls `listener` on every `event`; returns the function that stops it. */
  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Events[K]): void {
    this.listeners.get(event)?.delete(listener);
  }

  protected emit<K extends keyof Events>(event: K, payload: Parameters<Events[K]>[0]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])])
      (listener as unknown as (value: unknown) => void)(payload);
  }
}
