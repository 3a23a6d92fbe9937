import { Injectable } from '@nestjs/common';
import type { SuppressionEntry } from '@mailroom/contracts';
import { SuppressionRecords, type Page, type SuppressionScope } from '@mailroom/jetstream';
import { ApiError, ConcurrentUpdateError, ServiceUnavailableError } from '../http/api-errors';

/**
 * The suppression list as the gateway's routes use it (SuppressionRecords, one address or one
 * page at a time): a change that raced another is a 409, a NATS failure a 503 (nothing changed,
 * try again) rather than a 500 with a stack in the log. Senders and splitters follow the list
 * live, so a change here applies to batches not yet sent. Addresses must be normalised.
 */
@Injectable()
export class SuppressionAccess {
  constructor(private readonly records: SuppressionRecords) {}

  /** Adds an address; one already suppressed keeps its first entry (its reason and date). */
  add(entry: SuppressionEntry, scope: SuppressionScope): Promise<{ readonly created: boolean; readonly entry: SuppressionEntry }> {
    return this.unavailableOnFailure(async () => {
      const added = await this.records.add(entry, scope);
      // Deleted again between the two calls: it is not suppressed, so ask the caller to retry.
      if (!added) throw new ConcurrentUpdateError(`The suppression of this address changed meanwhile; try again`);
      return added;
    });
  }

  /** Removes an address; false when it was not suppressed. */
  remove(email: string, scope: SuppressionScope): Promise<boolean> {
    return this.unavailableOnFailure(async () => {
      const removed = await this.records.remove(email, scope);
      if (removed === 'changed') throw new ConcurrentUpdateError('The suppression of this address changed meanwhile; try again');
      return removed === 'removed';
    });
  }

  /** One page in the order entries were last written; `after` is the previous page's `next`. */
  page(scope: SuppressionScope, after: number, limit: number): Promise<Page<SuppressionEntry>> {
    return this.unavailableOnFailure(() => this.records.page(scope, after, limit));
  }

  /** The list (global first) that suppresses the address for a newsletter of `tenant`, or null. */
  suppressing(email: string, tenant: string): Promise<SuppressionScope | null> {
    return this.unavailableOnFailure(async () => (await this.records.suppressing(email, tenant))?.scope ?? null);
  }

  private async unavailableOnFailure<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ServiceUnavailableError('The suppression list is unavailable right now; nothing was changed. Try again.', undefined, { cause: error });
    }
  }
}
