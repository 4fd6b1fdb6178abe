// Refuses an MQTT packet as soon as its fixed header announces a size over the limit, before the
// body is buffered: aedes' parser would otherwise collect up to 256 MB for one PUBLISH.
// Reads only the fixed header of each packet: a type byte, then the Remaining Length as a
// variable byte integer of up to four bytes [MQTT-2.2.3], then skips that many bytes.

export class FrameGuard {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private remaining = 0;

  constructor(private readonly maxPacketBytes: number) {}

  /** Feeds bytes in arrival order; false once a packet is over the limit or malformed. */
  accept(chunk: Buffer): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const take = Math.min(this.remaining, chunk.length - i);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) this.state = 'type';
        continue;
      }
      const byte = chunk[i++]!;
      if (this.state === 'type') {
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      if (this.length > this.maxPacketBytes) return false;
      if (byte & 0x80) {
        this.multiplier *= 128;
        if (this.multiplier > 128 ** 3) return false; // more than four length bytes [MQTT-2.2.3]
        continue;
      }
      this.remaining = this.length;
      this.state = this.remaining === 0 ? 'type' : 'body';
    }
    return true;
  }
}
