// The pace of commands: at most `perMinute` in any sliding minute, and spread evenly (a bucket of
// one second's worth refilled continuously), so a wave of a thousand devices becomes a steady
// stream of downloads rather than a thousand at once (Axon's "download timeframe", ThingsBoard's
// pacing, at ten times its default rate).
export class Pace {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  /** When each send of the last minute happened (a ring of `perMinute` slots). */
  private readonly sent: Float64Array;
  private head = 0;

  constructor(
    private readonly perMinute: number,
    now = Date.now(),
  ) {
    this.capacity = Math.max(1, perMinute / 60);
    this.tokens = this.capacity;
    this.last = now;
    this.sent = new Float64Array(perMinute).fill(-Infinity);
  }

  /** Takes one send if the pace allows it now. */
  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 60_000) * this.perMinute);
    this.last = now;
    // The oldest of the last `perMinute` sends must be a minute old.
    if (this.tokens < 1 || now - this.sent[this.head]! < 60_000) return false;
    this.tokens -= 1;
    this.sent[this.head] = now;
    this.head = (this.head + 1) % this.sent.length;
    return true;
  }

  /** Gives back a send taken but not made (the device turned out ineligible). */
  refund() {
    this.tokens = Math.min(this.capacity, this.tokens + 1);
    this.head = (this.head - 1 + this.sent.length) % this.sent.length;
    this.sent[this.head] = -Infinity;
  }
}
