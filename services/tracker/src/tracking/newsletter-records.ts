import { Inject, Injectable } from '@nestjs/common';
import type { NewsletterRecord } from '@mailroom/contracts';
import { STORES, type Stores } from '@mailroom/jetstream';
import { KeyedMutex } from './keyed-mutex';

const WRONG_LAST_SEQUENCE = 10071;
const MAX_CAS_ATTEMPTS = 20;

export type UpdateResult =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unchanged'; readonly record: NewsletterRecord }
  | { readonly kind: 'updated'; readonly record: NewsletterRecord; readonly previous: NewsletterRecord };

/**
 * Newsletter records in KV. Updates are compare-and-set on the entry's revision (safe with several
 * tracker replicas), serialised per newsletter inside this process to avoid needless conflicts.
 */
@Injectable()
export class NewsletterRecords {
  private readonly mutex = new KeyedMutex();

  constructor(@Inject(STORES) private readonly stores: Stores) {}

  async get(id: string): Promise<NewsletterRecord | null> {
    const entry = await this.stores.newsletters.get(id);
    return entry && entry.operation === 'PUT' ? entry.json<NewsletterRecord>() : null;
  }

  update(id: string, change: (record: NewsletterRecord) => NewsletterRecord | null): Promise<UpdateResult> {
    return this.mutex.run(id, async () => {
      for (let attempt = 1; ; attempt += 1) {
        const entry = await this.stores.newsletters.get(id);
        if (!entry || entry.operation !== 'PUT') return { kind: 'missing' };
        const previous = entry.json<NewsletterRecord>();
        const next = change(previous);
        if (next === null) return { kind: 'unchanged', record: previous };
        try {
          await this.stores.newsletters.update(id, JSON.stringify(next), entry.revision);
          return { kind: 'updated', record: next, previous };
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (code !== WRONG_LAST_SEQUENCE || attempt >= MAX_CAS_ATTEMPTS) throw error;
        }
      }
    });
  }
}
