import { Inject, Injectable } from '@nestjs/common';
import { ledgerBatchPrefix, ledgerKey, type LedgerEntry } from '@mailroom/contracts';
import { STORES_TOKEN } from './stores.token';
import type { Stores } from '../provisioning/provision-topology';
import { retryWrite } from './retry-write';

/** The per-recipient outcomes of each batch (KV bucket `<ns>-ledger`). */
@Injectable()
export class DeliveryLedger {
  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  /** Every entry recorded for a batch, by address hash (the last token of the key): one filtered scan, not a read per recipient. */
  async readBatch(newsletterId: string, batchIndex: number): Promise<Map<string, LedgerEntry>> {
    const entries = new Map<string, LedgerEntry>();
    const iterator = await this.stores.ledger.history({ key: `${ledgerBatchPrefix(newsletterId, batchIndex)}.*` });
    for await (const entry of iterator) {
      const hash = entry.key.slice(entry.key.lastIndexOf('.') + 1);
      if (entry.operation === 'PUT') entries.set(hash, entry.json<LedgerEntry>());
      else entries.delete(hash);
    }
    return entries;
  }

  /**
   * Resolves when the server has stored the entry. Retries through a short NATS outage: an
   * outcome that is not recorded is an email that may be sent again.
   */
  async record(newsletterId: string, batchIndex: number, entry: LedgerEntry): Promise<void> {
    await retryWrite(() => this.stores.ledger.put(ledgerKey(newsletterId, batchIndex, entry.email), JSON.stringify(entry)));
  }
}
