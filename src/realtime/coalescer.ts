// Coalesces a burst of changes to the same key into one, and hands the batch on once per window.
// Why: 10,000 devices reporting every second must not become 10,000 socket messages per second
// per browser; a 250 ms window bounds both the message rate and the added latency.

export class Coalescer<V> {
  private pending = new Map<string, V>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly windowMs: number,
    /** Merges a newer change into the one already waiting for the same key. */
    private readonly merge: (older: V, newer: V) => V,
    private readonly flush: (batch: V[]) => void,
  ) {}

  push(key: string, value: V) {
    const older = this.pending.get(key);
    this.pending.set(key, older === undefined ? value : this.merge(older, value));
    // The window opens with the first change, so no change waits longer than windowMs.
    this.timer ??= setTimeout(() => this.drain(), this.windowMs);
  }

  /** Whether a change to the key is waiting. */
  has(key: string): boolean {
    return this.pending.has(key);
  }

  /** Takes the change waiting for the key out of the batch (it goes another way). */
  take(key: string): V | undefined {
    const v = this.pending.get(key);
    this.pending.delete(key);
    return v;
  }

  /** Sends what is waiting now. */
  drain() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.flush(batch);
  }

  close() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}
