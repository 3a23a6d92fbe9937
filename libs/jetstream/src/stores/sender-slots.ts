import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JetStreamConnection } from '../connection/jetstream-connection';
import type { Stores } from '../provisioning/provision-topology';
import { kvStreamName } from './kv-pages';
import { STORES_TOKEN } from './stores.token';

const PREFIX = 'slots';

/**
 * How many batches the senders can hold at once, all together: each sender announces its batch
 * slots (SENDER_CONCURRENCY after its cap) under `slots.<process id>` in the `batch-leases` bucket
 * (value = JSON `{slots}`), again every `SLOT_ANNOUNCE_INTERVAL_MS`, and takes the record back when
 * it stops. A record not renewed for `SLOT_RECORD_FRESH_MS` (a sender that crashed) no longer
 * counts. The splitter's dispatcher reads the total to size each newsletter's batch window.
 */
@Injectable()
export class SenderSlots {
  private readonly key = `${PREFIX}.${randomUUID()}`;

  constructor(
    @Inject(STORES_TOKEN) private readonly stores: Stores,
    private readonly nats: JetStreamConnection,
  ) {}

  async announce(slots: number): Promise<void> {
    await this.stores.batchLeases.put(this.key, JSON.stringify({ slots }));
  }

  async withdraw(): Promise<void> {
    await this.stores.batchLeases.delete(this.key).catch(() => undefined);
  }

  /** The batch slots of every sender that announced itself within `SLOT_RECORD_FRESH_MS` (server time of the record). */
  async total(now = Date.now()): Promise<number> {
    let total = 0;
    // The keys from one stream-info request (its per-subject counts), not KV keys(): that is an
    // ordered consumer, which has been seen to hang without an answer and froze the dispatcher
    // that awaited it; a request has a timeout.
    const bucket = this.nats.topology.buckets.batchLeases;
    const subjectPrefix = `$KV.${bucket}.`;
    const info = await this.nats.quick.streams.info(kvStreamName(bucket), { subjects_filter: `${subjectPrefix}${PREFIX}.*` });
    for (const key of Object.keys(info.state.subjects ?? {}).map((subject) => subject.slice(subjectPrefix.length))) {
      const entry = await this.stores.batchLeases.get(key);
      if (!entry || entry.operation !== 'PUT' || now - entry.created.getTime() > SLOT_RECORD_FRESH_MS) continue;
      const slots = Number((entry.json<{ slots?: unknown }>() ?? {}).slots);
      if (Number.isInteger(slots) && slots > 0) total += slots;
    }
    return total;
  }
}

/** How often a sender renews its record. */
export const SLOT_ANNOUNCE_INTERVAL_MS = 15_000;
/** A record older than this is a sender that is gone (three renewals missed, and some clock skew). */
export const SLOT_RECORD_FRESH_MS = 50_000;
