import { sevenBit, type EncodedBody } from './body-encoding';
import { encodeQuotedPrintable } from './quoted-printable';

/**
 * Encodes bodies, 7bit when `sevenBit` allows, else quoted-printable, holding quoted-printable ones by their text, least recently
 * used first out. A newsletter's body is the same for every recipient unless it is personalised,
 * so it is encoded once per process instead of once per email. A 7bit body is not held: making it
 * (a scan and a copy) costs less than looking a new 4 KB string up in a Map, which hashes it.
 */
export class EncodedBodyCache {
  private readonly entries = new Map<string, EncodedBody>();

  constructor(
    private readonly maxEntries = 32,
    /** Larger bodies are encoded every time rather than held. */
    private readonly maxBodyLength = 1024 * 1024,
  ) {}

  encode(text: string): EncodedBody {
    const plain = sevenBit(text);
    if (plain) return { encoding: '7bit', bytes: plain };
    const cached = this.entries.get(text);
    if (cached) {
      // Refresh its place: Maps iterate in insertion order, so the first key is the least recent.
      this.entries.delete(text);
      this.entries.set(text, cached);
      return cached;
    }
    const encoded: EncodedBody = { encoding: 'quoted-printable', bytes: encodeQuotedPrintable(text) };
    if (text.length <= this.maxBodyLength) {
      this.entries.set(text, encoded);
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return encoded;
  }
}
