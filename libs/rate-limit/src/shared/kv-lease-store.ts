import { CasConflictError, InvalidBucketStateError, RateLimitOptionsError } from '../rate-limit.errors';
import { parseBucketState, type LeaseStore, type SharedBucketState, type VersionedBucketState } from './lease-store';

/** JetStream API codes for "the subject's last sequence is not the one you expected" (CAS lost). */
const WRONG_LAST_SEQUENCE_CODES = new Set([10071, 10164]);
// KV key characters (nats.js `validateKey`); keeps a bad provider name a boot-time error.
const KEY_PATTERN = /^[-/_=a-zA-Z0-9]+(\.[-/_=a-zA-Z0-9]+)*$/;

/**
 * What KvLeaseStore needs of a JetStream KV bucket (nats.js `KV` has it): described here, so this
 * library neither loads a NATS client nor depends on `@mailroom/jetstream`, whose RateLimitBuckets
 * opens the bucket and hands out one store per key.
 */
export interface LeaseKv {
  get(key: string): Promise<{ readonly operation: string; readonly revision: number; json<T>(): T } | null>;
  create(key: string, data: Uint8Array): Promise<number>;
  update(key: string, data: Uint8Array, revision: number): Promise<number>;
}

/**
 * The shared bucket record as one key of a JetStream KV bucket (history 1 is enough), value =
 * JSON {tokens, updatedAtMs}; CAS through the key's revision.
 */
export class KvLeaseStore implements LeaseStore {
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly kv: LeaseKv,
    readonly key: string,
  ) {
    if (!KEY_PATTERN.test(key)) {
      throw new RateLimitOptionsError(`"${key}" is not a valid KV key: use letters, digits, "-", "_", "=", "/" and inner "."`);
    }
  }

  async read(): Promise<VersionedBucketState | null> {
    const entry = await this.kv.get(this.key);
    // A deleted or purged key reads as a marker: for us, no record (create handles the marker).
    if (entry === null || entry.operation !== 'PUT') return null;
    let value: unknown;
    try {
      value = entry.json<unknown>();
    } catch (error) {
      throw new InvalidBucketStateError(`Shared bucket record "${this.key}" is not JSON`, { cause: error });
    }
    return { state: parseBucketState(value), revision: entry.revision };
  }

  async create(state: SharedBucketState): Promise<number> {
    try {
      return await this.kv.create(this.key, this.encode(state));
    } catch (error) {
      throw asCasConflict(error, `Shared bucket record "${this.key}" already exists`);
    }
  }

  async update(state: SharedBucketState, revision: number): Promise<number> {
    // kv.update throws synchronously on a revision below 1; no such revision can be current.
    if (!(revision > 0)) throw new CasConflictError(`Revision ${revision} of "${this.key}" cannot be current`);
    try {
      return await this.kv.update(this.key, this.encode(state), revision);
    } catch (error) {
      throw asCasConflict(error, `Shared bucket record "${this.key}" moved past revision ${revision}`);
    }
  }

  private encode(state: SharedBucketState): Uint8Array {
    return this.encoder.encode(JSON.stringify({ tokens: state.tokens, updatedAtMs: state.updatedAtMs }));
  }
}

/** A lost CAS becomes `CasConflictError` (the protocol retries); anything else passes through. */
function asCasConflict(error: unknown, message: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && WRONG_LAST_SEQUENCE_CODES.has(code) ? new CasConflictError(message, { cause: error }) : error;
}
