import { Inject, Injectable } from '@nestjs/common';
import { failureKey, type FailureEntry } from '@mailroom/contracts';
import { JetStreamConnection } from '../connection/jetstream-connection';
import type { Stores } from '../provisioning/provision-topology';
import { pageStream, type Page } from '../storage/stream-pager';
import { kvPageRequest, kvPageValue } from './kv-pages';
import { retryWrite } from './retry-write';
import { STORES_TOKEN } from './stores.token';

/**
 * Recipients that finally failed, per newsletter (KV bucket `<ns>-failures`, key
 * `<newsletter id>.<address hash>`, value = JSON FailureEntry).
 */
@Injectable()
export class FailureRecords {
  constructor(
    @Inject(STORES_TOKEN) private readonly stores: Stores,
    private readonly nats: JetStreamConnection,
  ) {}

  async record(newsletterId: string, entry: FailureEntry): Promise<void> {
    await retryWrite(() => this.stores.failures.put(failureKey(newsletterId, entry.email), JSON.stringify(entry)));
  }

  /** The recipient was finally accepted (or suppressed) by a re-send round. */
  async clear(newsletterId: string, email: string): Promise<void> {
    await retryWrite(() => this.stores.failures.delete(failureKey(newsletterId, email)));
  }

  /** Every failure of a newsletter, streamed. */
  async *list(newsletterId: string): AsyncIterable<FailureEntry> {
    const iterator = await this.stores.failures.history({ key: `${newsletterId}.*` });
    const latest = new Map<string, FailureEntry | null>();
    for await (const entry of iterator) latest.set(entry.key, entry.operation === 'PUT' ? entry.json<FailureEntry>() : null);
    for (const entry of latest.values()) if (entry) yield entry;
  }

  /** One page of a newsletter's failures, in the order they were recorded; `after` is the previous page's `next`. */
  page(newsletterId: string, after: number, limit: number): Promise<Page<FailureEntry>> {
    const bucket = this.nats.topology.buckets.failures;
    return pageStream(this.nats.js, kvPageRequest(bucket, `${newsletterId}.*`, after, limit), (message) => kvPageValue<FailureEntry>(message));
  }

  /** The address hashes of every recipient with a failure recorded for the newsletter (a key listing: no values read). */
  async *addressHashes(newsletterId: string): AsyncIterable<string> {
    for await (const key of await this.stores.failures.keys(`${newsletterId}.*`)) yield key.slice(newsletterId.length + 1);
  }
}
