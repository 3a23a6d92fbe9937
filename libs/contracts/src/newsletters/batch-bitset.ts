/**
 * A set of batch indexes as a base64 bitset: 10,000 batches take 1.25 KB, so the whole
 * "already counted" memory travels inside the newsletter record and is updated atomically with it.
 */
export class BatchBitset {
  private constructor(private bytes: Uint8Array) {}

  static decode(encoded: string): BatchBitset {
    return new BatchBitset(encoded ? new Uint8Array(Buffer.from(encoded, 'base64')) : new Uint8Array(0));
  }

  has(index: number): boolean {
    const byte = index >> 3;
    return byte < this.bytes.length && (this.bytes[byte]! & (1 << (index & 7))) !== 0;
  }

  add(index: number): void {
    const byte = index >> 3;
    if (byte >= this.bytes.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bytes.length * 2));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[byte]! |= 1 << (index & 7);
  }

  encode(): string {
    let end = this.bytes.length;
    while (end > 0 && this.bytes[end - 1] === 0) end -= 1;
    return Buffer.from(this.bytes.subarray(0, end)).toString('base64');
  }
}
