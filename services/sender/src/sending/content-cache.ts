import { Injectable } from '@nestjs/common';
import type { NewsletterContent } from '@mailroom/contracts';
import { ContentStore } from '@mailroom/jetstream';

const MAX_ENTRIES = 64;

/** A newsletter's body is read once per process, not once per batch. */
@Injectable()
export class ContentCache {
  private readonly entries = new Map<string, Promise<NewsletterContent | null>>();

  constructor(private readonly store: ContentStore) {}

  get(objectName: string): Promise<NewsletterContent | null> {
    const cached = this.entries.get(objectName);
    if (cached) return cached;
    const loading = this.store.getJson<NewsletterContent>(objectName);
    this.entries.set(objectName, loading);
    // A failed or missing read is not cached: the next batch asks again.
    loading.then(
      (content) => content === null && this.entries.delete(objectName),
      () => this.entries.delete(objectName),
    );
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return loading;
  }
}
