import { Inject, Injectable } from '@nestjs/common';
import type { NewsletterRecord } from '@mailroom/contracts';
import { STORES, casUpdate, type CasResult, type Stores } from '@mailroom/jetstream';
import { KeyedMutex } from './keyed-mutex';

/**
 * Newsletter records in KV. Updates are compare-and-set on the entry's revision (safe with several
 * tracker replicas and with the gateway opening rounds), serialised per newsletter inside this
 * process to avoid needless conflicts.
 */
@Injectable()
export class NewsletterRecords {
  private readonly mutex = new KeyedMutex();

  constructor(@Inject(STORES) private readonly stores: Stores) {}

  async get(id: string): Promise<NewsletterRecord | null> {
    const entry = await this.stores.newsletters.get(id);
    return entry && entry.operation === 'PUT' ? entry.json<NewsletterRecord>() : null;
  }

  update(id: string, change: (record: NewsletterRecord) => NewsletterRecord | null): Promise<CasResult<NewsletterRecord>> {
    return this.mutex.run(id, () => casUpdate(this.stores.newsletters, id, change));
  }
}
