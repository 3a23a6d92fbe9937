import { InvalidBucketStateError } from '../rate-limit.errors';

/**
 * The shared record of one bucket (one provider, or one newsletter cap). Deliberately tiny: one
 * JSON document of two numbers, rewritten once per leased chunk.
 */
export interface SharedBucketState {
  /**
   * Tokens in the shared bucket at `updatedAtMs`: fractional (refill is continuous), negative when
   * tokens have been reserved ahead of their refill.
   */
  readonly tokens: number;
  /** Writer's wall clock; only ever moves forward (see `refill`). */
  readonly updatedAtMs: number;
}

export interface VersionedBucketState {
  readonly state: SharedBucketState;
  /** Opaque, increasing; passed back to `update` for compare-and-set. */
  readonly revision: number;
}

/**
 * The storage port of the shared bucket: a single record with compare-and-set. `KvLeaseStore`
 * implements it over a JetStream KV key; `InMemoryLeaseStore` for tests and single-process use.
 */
export interface LeaseStore {
  /** The record, or null when it does not exist (never written, or deleted). */
  read(): Promise<VersionedBucketState | null>;
  /** Writes the first record; throws `CasConflictError` if one exists. Returns the new revision. */
  create(state: SharedBucketState): Promise<number>;
  /** Replaces the record if it is still at `revision`, else throws `CasConflictError`. */
  update(state: SharedBucketState, revision: number): Promise<number>;
}

/** Checks a decoded record: a bad one must stop leasing, not be read as "plenty of tokens". */
export function parseBucketState(value: unknown): SharedBucketState {
  const record = value as Partial<Record<keyof SharedBucketState, unknown>> | null;
  const tokens = record?.tokens;
  const updatedAtMs = record?.updatedAtMs;
  if (typeof tokens !== 'number' || !Number.isFinite(tokens)) {
    throw new InvalidBucketStateError(`Shared bucket record has no valid "tokens": ${safeJson(value)}`);
  }
  if (typeof updatedAtMs !== 'number' || !Number.isFinite(updatedAtMs)) {
    throw new InvalidBucketStateError(`Shared bucket record has no valid "updatedAtMs": ${safeJson(value)}`);
  }
  return { tokens, updatedAtMs };
}

function safeJson(value: unknown): string {
  try {
    return String(JSON.stringify(value)).slice(0, 200);
  } catch {
    return String(value);
  }
}
