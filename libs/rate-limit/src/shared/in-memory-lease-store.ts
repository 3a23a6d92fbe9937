import { CasConflictError } from '../rate-limit.errors';
import type { LeaseStore, SharedBucketState, VersionedBucketState } from './lease-store';

/**
 * A `LeaseStore` in memory, with the same compare-and-set contract as the KV one. For unit tests
 * (several simulated replicas share one instance) and for a single process that needs no KV.
 */
export class InMemoryLeaseStore implements LeaseStore {
  private record: VersionedBucketState | null = null;
  private lastRevision = 0;

  read(): Promise<VersionedBucketState | null> {
    return Promise.resolve(this.record);
  }

  create(state: SharedBucketState): Promise<number> {
    if (this.record) return Promise.reject(new CasConflictError('The shared bucket record already exists'));
    return Promise.resolve(this.write(state));
  }

  update(state: SharedBucketState, revision: number): Promise<number> {
    if (!this.record) return Promise.reject(new CasConflictError('The shared bucket record does not exist'));
    if (this.record.revision !== revision) {
      return Promise.reject(
        new CasConflictError(`The shared bucket record is at revision ${this.record.revision}, not ${revision}`),
      );
    }
    return Promise.resolve(this.write(state));
  }

  /** A write by someone else that changes nothing but the revision: makes the next CAS fail. */
  bumpRevision(): void {
    if (this.record) this.write(this.record.state);
  }

  /** Removes the record, as `kv.delete` would. */
  clear(): void {
    this.record = null;
  }

  private write(state: SharedBucketState): number {
    this.lastRevision += 1;
    this.record = { state: { tokens: state.tokens, updatedAtMs: state.updatedAtMs }, revision: this.lastRevision };
    return this.lastRevision;
  }
}
