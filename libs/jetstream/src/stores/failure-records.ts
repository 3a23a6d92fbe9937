import { Inject, Injectable } from '@nestjs/common';
import { failureKey, type FailureEntry } from '@mailroom/contracts';
import type { Stores } from '../provisioning/provision-topology';
import { retryWrite } from './retry-write';
import { STORES_TOKEN } from './stores.token';

/** Recipients that finally failed, per newsletter (KV bucket `<ns>-failures`, key `<id>.<address hash>`). */
@Injectable()
export class FailureRecords {
  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

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
}
