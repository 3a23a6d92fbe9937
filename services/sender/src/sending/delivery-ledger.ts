import { Inject, Injectable } from '@nestjs/common';
import { ledgerBatchPrefix, ledgerKey, type LedgerEntry } from '@mailroom/contracts';
import { STORES, type Stores } from '@mailroom/jetstream';

/** Reads and writes the per-recipient outcomes of a batch. */
@Injectable()
export class DeliveryLedger {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  /** Every entry already recorded for a batch, by address hash (the last token of the key). */
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

  /** Resolves when the server has stored the entry. Callers issue many at once and await them together. */
  async record(newsletterId: string, batchIndex: number, entry: LedgerEntry): Promise<void> {
    await this.stores.ledger.put(ledgerKey(newsletterId, batchIndex, entry.email), JSON.stringify(entry));
  }
}
