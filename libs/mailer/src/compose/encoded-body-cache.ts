import { encodeQuotedPrintable } from './quoted-printable';

/**
 * Quoted-printable bodies by their text, least recently used first out. A newsletter's body is the
 * same for every recipient unless it is personalised, so it is encoded once per process instead of
 * once per email; personalised bodies miss and are encoded each time (a Map lookup is all they cost).
 */
export class EncodedBodyCache {
  private readonly entries = new Map<string, Buffer>();

  constructor(
    private readonly maxEntries = 32,
    /** Larger bodies are encoded every time rather than held. */
    private readonly maxBodyLength = 1024 * 1024,
  ) {}

  encode(text: string): Buffer {
    const cached = this.entries.get(text);
    if (cached) {
      // Refresh its place: Maps iterate in insertion order, so the first key is the least recent.
      this.entries.delete(text);
      this.entries.set(text, cached);
      return cached;
    }
    const encoded = encodeQuotedPrintable(text);
    if (text.length <= this.maxBodyLength) {
      this.entries.set(text, encoded);
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return encoded;
  }
}
