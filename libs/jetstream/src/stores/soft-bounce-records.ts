import { Inject, Injectable } from '@nestjs/common';
import { suppressionKey } from '@mailroom/contracts';
import type { Stores } from '../provisioning/provision-topology';
import { STORES_TOKEN } from './stores.token';
import { isWrongLastSequence } from '../storage/wrong-last-sequence';


interface SoftBounce {
  readonly at: string;
  readonly reportId: string;
}

/**
 * Soft bounces per address (KV bucket `<ns>-soft-bounces`, key = the hash of the address's mailbox
 * key, as on the suppression list: no address in keys or values; value = JSON list of
 * `{at, reportId}`). An entry expires 30 days after its last change (the bucket's TTL): the
 * longest window a deployment may count over.
 */
@Injectable()
export class SoftBounceRecords {
  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  /**
   * Adds one soft bounce (once per report: a redelivered event adds nothing) and answers how many
   * the address had within `windowMs` before this one's time, this one included.
   */
  async add(email: string, bounce: SoftBounce, windowMs: number): Promise<number> {
    const key = suppressionKey(email);
    for (let attempt = 1; ; attempt += 1) {
      const entry = await this.stores.softBounces.get(key);
      const stored = entry?.operation === 'PUT' ? entry.json<SoftBounce[]>() : [];
      const since = Date.parse(bounce.at) - windowMs;
      const recent = stored.filter((b) => Date.parse(b.at) >= since);
      if (recent.some((b) => b.reportId === bounce.reportId)) return recent.length;
      const next = [...recent, bounce];
      try {
        if (entry?.operation === 'PUT') await this.stores.softBounces.update(key, JSON.stringify(next), entry.revision);
        else await this.stores.softBounces.create(key, JSON.stringify(next));
        return next.length;
      } catch (error) {
        if (!isWrongLastSequence(error) || attempt >= 25) throw error;
      }
    }
  }
}
