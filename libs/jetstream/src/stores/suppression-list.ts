import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { addressHash, type SuppressionEntry } from '@mailroom/contracts';
import type { Stores } from '../provisioning/provision-topology';
import { LiveKeySet } from '../storage/live-key-set';
import { retryWrite } from './retry-write';
import { STORES_TOKEN } from './stores.token';

const KEY_EXISTS = 10071;

/**
 * The suppression list (KV bucket `<ns>-suppressions`, key = address hash), held in memory and
 * followed live, so checking every recipient of a large list costs no round trip. Add it to the
 * providers of a service that checks or adds suppressions; it loads at module init.
 */
@Injectable()
export class SuppressionList implements OnModuleInit, OnApplicationShutdown {
  private keys?: LiveKeySet;

  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  async onModuleInit(): Promise<void> {
    this.keys = await LiveKeySet.open(this.stores.suppressions);
  }

  onApplicationShutdown(): void {
    this.keys?.close();
  }

  /** `email` must be normalised (as the splitter emits it). */
  has(email: string): boolean {
    if (!this.keys) throw new Error('SuppressionList used before it loaded');
    return this.keys.has(addressHash(email));
  }

  get size(): number {
    return this.keys?.size ?? 0;
  }

  /** Adds an address; an address already suppressed keeps its first reason. */
  async add(entry: SuppressionEntry): Promise<void> {
    await retryWrite(async () => {
      try {
        await this.stores.suppressions.create(addressHash(entry.email), JSON.stringify(entry));
      } catch (error) {
        if ((error as { code?: unknown }).code !== KEY_EXISTS) throw error;
      }
    });
  }
}
