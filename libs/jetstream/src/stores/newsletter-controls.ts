import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { NewsletterControl } from '@mailroom/contracts';
import type { Stores } from '../provisioning/provision-topology';
import { LiveKvMap } from '../storage/live-kv-map';
import { casUpdate } from '../storage/cas-update';
import { retryWrite } from './retry-write';
import { STORES_TOKEN } from './stores.token';

/**
 * Pause/cancel state per newsletter (KV bucket `<ns>-controls`), followed live from module init:
 * `stateOf()` costs nothing, so it can be checked before every SMTP transaction, and a change
 * reaches every process within the watch's latency (milliseconds). The gateway writes (and the
 * leading tracker, cancelling a newsletter paused past PAUSE_LIMIT_MS); entries stay until the
 * tracker's retention cleaner removes the newsletter (no bucket-wide max_age).
 */
@Injectable()
export class NewsletterControls implements OnModuleInit, OnApplicationShutdown {
  private live?: LiveKvMap<NewsletterControl>;

  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  async onModuleInit(): Promise<void> {
    this.live = await LiveKvMap.open(this.stores.controls, (entry) => entry.json<NewsletterControl>());
  }

  onApplicationShutdown(): void {
    this.live?.close();
  }

  /** 'active' for a newsletter nobody paused or cancelled. */
  stateOf(newsletterId: string): NewsletterControl['state'] {
    if (!this.live) throw new Error('NewsletterControls used before module init');
    return this.live.get(newsletterId)?.state ?? 'active';
  }

  generationOf(newsletterId: string): number {
    return this.live?.get(newsletterId)?.generation ?? 0;
  }

  /** The control as it stands (with when it was set); undefined for a newsletter nobody paused or cancelled. */
  controlOf(newsletterId: string): NewsletterControl | undefined {
    return this.live?.get(newsletterId);
  }

  /** Ids of every newsletter with a control (the retention cleaner looks for ones left without a record). */
  controlled(): string[] {
    return this.live?.keys() ?? [];
  }

  /**
   * Removes a newsletter's control (the retention cleaner, once the newsletter is removed). The
   * bucket has no max_age: a pause must hold however long it lasts.
   */
  async remove(newsletterId: string): Promise<void> {
    await retryWrite(() => this.stores.controls.delete(newsletterId));
  }

  /** Sets the state, with a new generation. Returns the generation written. */
  async set(newsletterId: string, state: NewsletterControl['state']): Promise<number> {
    let generation = 0;
    await retryWrite(async () => {
      const result = await casUpdate<NewsletterControl>(this.stores.controls, newsletterId, (current) => {
        generation = current.generation + 1;
        return { state, generation, at: new Date().toISOString() };
      });
      if (result.kind !== 'missing') return;
      generation = 1;
      // Created by someone else meanwhile: create throws, and retryWrite updates it instead.
      await this.stores.controls.create(newsletterId, JSON.stringify({ state, generation, at: new Date().toISOString() }));
    });
    return generation;
  }
}
