import { Inject, Injectable } from '@nestjs/common';
import { addressHash, type SuppressionEntry } from '@mailroom/contracts';
import { NatsClient, STORES, pageStream, type Page, type Stores } from '@mailroom/jetstream';
import { ApiError, ConcurrentUpdateError, ServiceUnavailableError } from '../http/api-errors';

/** JetStream's "wrong last sequence": the key exists (create), or changed since it was read (CAS). */
const WRONG_LAST_SEQUENCE = 10071;
const isWrongLastSequence = (error: unknown) => (error as { code?: unknown } | undefined)?.code === WRONG_LAST_SEQUENCE;

const decoder = new TextDecoder();

/**
 * The suppression list as the gateway reads and writes it: KV bucket `<ns>-suppressions`, key =
 * address hash, value = SuppressionEntry. Not the sender's SuppressionList, which holds every key
 * in memory to check recipients; the gateway only touches one address, or one page, at a time.
 * Senders and splitters follow the bucket live, so a change here applies to batches not yet sent.
 * Addresses must be normalised (`normalizeAddress`), as the splitter emits them.
 */
@Injectable()
export class SuppressionRecords {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    private readonly nats: NatsClient,
  ) {}

  /** Adds an address; one already suppressed keeps its first entry (its reason and date). */
  add(entry: SuppressionEntry): Promise<{ readonly created: boolean; readonly entry: SuppressionEntry }> {
    return this.unavailableOnFailure(async () => {
      try {
        await this.stores.suppressions.create(addressHash(entry.email), JSON.stringify(entry));
        return { created: true, entry };
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
      }
      const existing = await this.get(entry.email);
      // Deleted again between the two calls: it is not suppressed, so ask the caller to retry.
      if (!existing) throw new ConcurrentUpdateError(`The suppression of this address changed meanwhile; try again`);
      return { created: false, entry: existing };
    });
  }

  get(email: string): Promise<SuppressionEntry | null> {
    return this.unavailableOnFailure(async () => {
      const stored = await this.stores.suppressions.get(addressHash(email));
      return stored && stored.operation === 'PUT' ? stored.json<SuppressionEntry>() : null;
    });
  }

  /** Removes an address; false when it was not suppressed. */
  remove(email: string): Promise<boolean> {
    return this.unavailableOnFailure(async () => {
      const key = addressHash(email);
      const stored = await this.stores.suppressions.get(key);
      if (!stored || stored.operation !== 'PUT') return false;
      try {
        // Only the entry just read: a suppression made meanwhile is not removed unseen.
        await this.stores.suppressions.delete(key, { previousSeq: stored.revision });
      } catch (error) {
        if (isWrongLastSequence(error)) throw new ConcurrentUpdateError('The suppression of this address changed meanwhile; try again');
        throw error;
      }
      return true;
    });
  }

  /** One page in the order entries were last written; `after` is the previous page's `next`. */
  page(after: number, limit: number): Promise<Page<SuppressionEntry>> {
    const bucket = this.nats.topology.buckets.suppressions;
    const stream = `KV_${bucket}`;
    return this.unavailableOnFailure(async () => {
      // Nothing after `after`: answer at once rather than wait out the pager's fetch expiry.
      const { state } = await this.nats.jsm.streams.info(stream);
      if (state.messages === 0 || after >= state.last_seq) return { items: [], next: null };
      return pageStream(this.nats.js, { stream, filterSubject: `$KV.${bucket}.>`, after, limit }, (message) => {
        const operation = message.headers?.get('KV-Operation');
        if (operation === 'DEL' || operation === 'PURGE' || message.data.length === 0) return undefined;
        return JSON.parse(decoder.decode(message.data)) as SuppressionEntry;
      });
    });
  }

  /** A NATS failure is a 503 (nothing changed, try again), not a 500 with a stack in the log. */
  private async unavailableOnFailure<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ServiceUnavailableError('The suppression list is unavailable right now; nothing was changed. Try again.', undefined, { cause: error });
    }
  }
}
