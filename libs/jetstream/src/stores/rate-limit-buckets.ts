import { Inject, Injectable } from '@nestjs/common';
import { KvLeaseStore, type LeaseStore } from '@mailroom/rate-limit';
import type { Stores } from '../provisioning/provision-topology';
import { STORES_TOKEN } from './stores.token';

/**
 * The shared token buckets of every sender replica (KV bucket `<ns>-rate-limits`, kept an hour
 * after their last use): one record per SMTP provider (key `provider.<name>`) and one per
 * newsletter with a rate cap (key `newsletter.<id>`), each read and written by KvLeaseStore
 * (value = JSON {tokens, updatedAtMs}, revision CAS).
 */
@Injectable()
export class RateLimitBuckets {
  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  /** The bucket every replica shares for one SMTP provider (its configured name). */
  provider(name: string): LeaseStore {
    return new KvLeaseStore(this.stores.rateLimits, `provider.${name}`);
  }

  /** The bucket every replica shares for one newsletter's `ratePerSecond` cap. */
  newsletter(newsletterId: string): LeaseStore {
    return new KvLeaseStore(this.stores.rateLimits, `newsletter.${newsletterId}`);
  }
}
