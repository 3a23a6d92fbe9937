/**
 * A set of normalised addresses that keeps a 64-bit hash of each instead of the string: 10 to 15
 * bytes per address (open addressing, 8/15 to 4/5 full) where a `Set<string>` of a million
 * addresses costs about 145 MB of heap. Used wherever a whole list must be de-duplicated in
 * memory (the splitter per newsletter, the gateway per list import).
 *
 * The table is cut into 256 shards by the hash's top byte, each growing on its own: growing one
 * table the size of the whole set held the old and the new table at once (a 10M-row import peaked
 * at 400 MB of tables alone); a shard's growth holds 1/256 of that.
 *
 * The hash is not cryptographic. Two different addresses colliding would drop the second as a
 * "duplicate"; for n addresses the chance is about n² / 2⁶⁵ (3 in 100 million for a million).
 * Whoever could craft collisions can only drop addresses from a list they upload themselves.
 */
export class AddressKeySet {
  private readonly shards: Shard[];
  private count = 0;

  constructor(expected = 1024) {
    const perShard = Math.ceil(expected / SHARDS);
    this.shards = Array.from({ length: SHARDS }, () => new Shard(perShard));
  }

  get size(): number {
    return this.count;
  }

  /** Adds the address; false when it was already there. */
  add(address: string): boolean {
    const [high, low] = hash64(address);
    const added = this.shards[high >>> 24]!.add(high, low);
    if (added) this.count += 1;
    return added;
  }

  has(address: string): boolean {
    const [high, low] = hash64(address);
    return this.shards[high >>> 24]!.has(high, low);
  }
}

const SHARDS = 256;
/**
 * A shard grows by half (not by double) once more than 4/5 full, so its tables are between 8/15
 * and 4/5 full: about 16 % less memory on average than doubling at 3/4, for probes that stay short
 * (about 3 for a hit at 4/5).
 */
const MAX_LOAD = 0.8;
const GROWTH = 1.5;

/** One open-addressing table of 64-bit hashes: pairs of 32-bit halves, (0, 0) an empty slot. */
class Shard {
  private slots: Int32Array;
  private capacity: number;
  private count = 0;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity * MAX_LOAD < expected) capacity = Math.ceil(capacity * GROWTH);
    this.capacity = capacity;
    this.slots = new Int32Array(capacity * 2);
  }

  add(high: number, low: number): boolean {
    if (this.find(high, low) >= 0) return false;
    if (this.count + 1 > this.capacity * MAX_LOAD) this.grow();
    this.insert(high, low);
    this.count += 1;
    return true;
  }

  has(high: number, low: number): boolean {
    return this.find(high, low) >= 0;
  }

  private find(high: number, low: number): number {
    for (let slot = (low >>> 0) % this.capacity; ; slot = slot + 1 === this.capacity ? 0 : slot + 1) {
      const h = this.slots[slot * 2]!;
      const l = this.slots[slot * 2 + 1]!;
      if (h === high && l === low) return slot;
      if (h === 0 && l === 0) return -1;
    }
  }

  private insert(high: number, low: number): void {
    let slot = (low >>> 0) % this.capacity;
    while (this.slots[slot * 2] !== 0 || this.slots[slot * 2 + 1] !== 0) slot = slot + 1 === this.capacity ? 0 : slot + 1;
    this.slots[slot * 2] = high;
    this.slots[slot * 2 + 1] = low;
  }

  private grow(): void {
    const old = this.slots;
    this.capacity = Math.ceil(this.capacity * GROWTH);
    this.slots = new Int32Array(this.capacity * 2);
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 || old[i + 1] !== 0) this.insert(old[i]!, old[i + 1]!);
    }
  }
}

// Bound once: under jest (a vm context) every `Math.imul` lookup in the loop below costs a slow
// global access, 20 times the hash itself.
const imul = Math.imul;

/**
 * Two 32-bit halves of a 64-bit string hash (cyrb53's mixing, both halves kept). Never (0, 0),
 * which marks an empty slot.
 */
export function hash64(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = imul(h1 ^ code, 2654435761);
    h2 = imul(h2 ^ code, 1597334677);
  }
  h1 = imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= imul(h1 ^ (h1 >>> 13), 3266489909);
  return h1 === 0 && h2 === 0 ? [0, 1] : [h1 | 0, h2 | 0];
}
