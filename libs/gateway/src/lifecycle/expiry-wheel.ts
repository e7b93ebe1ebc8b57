import type { Clock } from '@ioauth/auth-core';

// Where an item whose slot has passed waits for its turn to fire.
const DUE = -1;

/**
 * Calls `onDue(item)` once an item's due time has passed, for any number of items with one timer: items sit in
 * slots of `resolutionMs`, and one ticking timer empties the slots that are due. Scheduling and cancelling are a
 * map lookup and a set insertion, so a refresh storm over 100k sockets moves entries between sets instead of
 * creating and clearing 100k timers. The timer only ticks while something is scheduled, and never keeps the
 * process alive.
 *
 * At most `perTurn` items fire per turn of the event loop; the rest fire on the turns that follow. Tokens minted
 * in the same second come due in the same slot (a deploy that logs everyone in again, or bench:scale's 10,000
 * tokens expiring in one second), and firing them all at once held the loop for a second and more, delaying every
 * other socket's traffic; in turns of a few hundred, I/O runs between them.
 */
export class ExpiryWheel<T> {
  private readonly slots = new Map<number, Set<T>>();
  private readonly slotOf = new Map<T, number>();
  // Items whose slot has passed, in due order, waiting for their turn.
  private readonly due = new Set<T>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private nextTurn: ReturnType<typeof setImmediate> | undefined;
  /** Last slot emptied; every slot up to it has fired. */
  private swept: number;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (item: T) => void,
    private readonly resolutionMs = 100,
    private readonly perTurn = 500,
  ) {
    this.swept = this.slotAt(clock.now()) - 1;
  }

  /** Number of items waiting. */
  get size(): number {
    return this.slotOf.size;
  }

  /** (Re)schedules `item` for `dueAt` (ms since the epoch); a due time already past fires on the next tick. */
  schedule(item: T, dueAt: number): void {
    this.cancel(item);
    // A slot fires once its whole span has passed, so an item never fires before its due time.
    const slot = Math.max(this.slotAt(dueAt) + 1, this.swept + 1);
    let items = this.slots.get(slot);
    if (!items) {
      items = new Set();
      this.slots.set(slot, items);
    }
    items.add(item);
    this.slotOf.set(item, slot);
    this.start();
  }

  /** Forgets `item`; nothing happens if it is not scheduled. */
  cancel(item: T): void {
    const slot = this.slotOf.get(item);
    if (slot === undefined) return;
    this.slotOf.delete(item);
    if (slot === DUE) {
      this.due.delete(item);
      return;
    }
    const items = this.slots.get(slot);
    items?.delete(item);
    if (items?.size === 0) this.slots.delete(slot);
  }

  /**
   * Fires the items whose slot has passed, `perTurn` of them, and leaves the rest to the next turns of the event
   * loop. Called by the timer; public so that tests can drive a frozen clock.
   */
  tick(): void {
    const now = this.slotAt(this.clock.now());
    while (this.swept < now) {
      this.swept += 1;
      const items = this.slots.get(this.swept);
      if (!items) continue;
      this.slots.delete(this.swept);
      for (const item of items) {
        this.slotOf.set(item, DUE);
        this.due.add(item);
      }
    }
    this.fireTurn();
    if (this.slotOf.size === 0) this.stop();
  }

  /** Stops the timer and forgets every item. */
  clear(): void {
    this.slots.clear();
    this.slotOf.clear();
    this.due.clear();
    this.stop();
  }

  // `onDue` may schedule or cancel items, this one or others already due: each is looked up as it comes.
  private fireTurn(): void {
    let fired = 0;
    for (const item of this.due) {
      if (fired === this.perTurn) break;
      fired += 1;
      this.due.delete(item);
      this.slotOf.delete(item);
      this.onDue(item);
    }
    if (this.due.size > 0 && this.nextTurn === undefined) {
      this.nextTurn = setImmediate(() => {
        this.nextTurn = undefined;
        this.fireTurn();
        if (this.slotOf.size === 0) this.stop();
      });
      this.nextTurn.unref();
    }
  }

  private slotAt(time: number): number {
    return Math.floor(time / this.resolutionMs);
  }

  private start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), this.resolutionMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.nextTurn !== undefined) clearImmediate(this.nextTurn);
    this.nextTurn = undefined;
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
