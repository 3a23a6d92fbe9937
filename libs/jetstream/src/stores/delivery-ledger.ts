import { Inject, Injectable } from '@nestjs/common';
import { hash, randomUUID } from 'node:crypto';
import { addressHash, isLedgerEntryKey, ledgerBatchPrefix, ledgerKey, ledgerLinkKey, ledgerOpenedKey, ledgerUnsubscribeKey, type LedgerEntry } from '@mailroom/contracts';
import { STORES_TOKEN } from './stores.token';
import type { Stores } from '../provisioning/provision-topology';
import { retryWrite } from './retry-write';
import { casUpdate } from '../storage/cas-update';
import { isWrongLastSequence } from '../storage/wrong-last-sequence';

/** Reads of one batch in flight at once: a batch of thousands does not queue thousands of requests. */
const READ_WINDOW = 256;

/** What a recipient's entry says of a mark: the first of its kind, one before it, or no entry at all. */
export type LedgerMark = 'first' | 'repeat' | 'unknown';

/** A kind of engagement marked on a recipient's entry (LedgerEntry.engagement). */
export type EngagementMark = keyof NonNullable<LedgerEntry['engagement']>;

interface QueuedWrite {
  readonly key: string;
  readonly value: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The per-recipient outcomes of each batch (KV bucket `<ns>-ledger`, key
 * `<newsletter id>.<batch index>.<address hash>`, value = JSON LedgerEntry; plus one marker per
 * batch opened, see `openBatch`, and the tracker's counting markers of four tokens, see
 * `claimClick`, `claimLink`, `claimUnsubscribe`). The record that keeps an email from being sent twice.
 */
@Injectable()
export class DeliveryLedger {
  /** Writes asked for since the last flush (see `record`). */
  private queued: QueuedWrite[] = [];

  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  /**
   * What is recorded for these recipients of a batch, by address hash. Read from the bucket's
   * stream leader, one get per recipient (see `openBatch`): a filtered scan runs on an ephemeral
   * consumer that nats-server places on any replica, and a replica back from an outage may not
   * have the latest entries yet; a stale answer here is an email sent twice. A batch never opened
   * (no marker, see `openBatch`) has nothing recorded: one read instead of one per recipient (a
   * cancelled newsletter's held batches are all dropped this way).
   */
  async readBatch(newsletterId: string, batchIndex: number, emails: readonly string[]): Promise<Map<string, LedgerEntry>> {
    const entries = new Map<string, LedgerEntry>();
    const marker = await retryWrite(() => this.stores.ledger.get(ledgerOpenedKey(newsletterId, batchIndex)));
    if (marker?.operation !== 'PUT') return entries;
    for (let from = 0; from < emails.length; from += READ_WINDOW) {
      await Promise.all(
        emails.slice(from, from + READ_WINDOW).map(async (email) => {
          const found = await retryWrite(() => this.stores.ledger.get(ledgerKey(newsletterId, batchIndex, email)));
          if (found?.operation === 'PUT') entries.set(addressHash(email), found.json<LedgerEntry>());
        }),
      );
    }
    return entries;
  }

  /**
   * Every outcome recorded for one address, in any newsletter, as long as the ledger keeps them
   * (its retention, 30 days by default): for a data-subject export. One scan of the whole bucket
   * filtered by the address hash (`*.*.<hash>`): fine for a request now and then, never for a hot path.
   */
  async outcomesOf(email: string): Promise<Array<{ readonly newsletterId: string; readonly batchIndex: number; readonly entry: LedgerEntry }>> {
    const hash = addressHash(email);
    const found: Array<{ newsletterId: string; batchIndex: number; entry: LedgerEntry }> = [];
    const iterator = await this.stores.ledger.history({ key: `*.*.${hash}` });
    for await (const kv of iterator) {
      if (kv.operation !== 'PUT') continue;
      const [newsletterId, batch] = kv.key.split('.');
      found.push({ newsletterId: newsletterId!, batchIndex: Number(batch), entry: kv.json<LedgerEntry>() });
    }
    return found;
  }

  /**
   * The entries of one batch whose address hash starts with `hashPrefix`: how a bounce or a
   * complaint that does not name its recipient (a redacted feedback loop, a DSN naming another
   * address) is traced from the signed token it came back to, which carries the newsletter, the
   * batch and the first 8 characters of the hash (`FeedbackClaim`). One key listing of the batch
   * (`<newsletterId>.<batchIndex>.*`: the `opened` marker is skipped, click markers have a fourth
   * token) and one read per match; for a path that runs now and then (a report), never a hot one.
   * The listing may come from any replica (see `readBatch`): a stale one can only miss an entry
   * written moments ago, and a report comes back minutes after its email at the earliest.
   * Several matches are possible in principle (a 48-bit prefix), none once the entries expired
   * (the ledger's retention): the caller decides.
   */
  async recipientsOfBatchWithHashPrefix(newsletterId: string, batchIndex: number, hashPrefix: string): Promise<Array<{ readonly addressHash: string; readonly entry: LedgerEntry }>> {
    if (hashPrefix === '' || !/^[A-Za-z0-9_-]+$/.test(hashPrefix)) return [];
    const matching: string[] = [];
    for await (const key of await this.stores.ledger.keys(`${ledgerBatchPrefix(newsletterId, batchIndex)}.*`)) {
      if (!isLedgerEntryKey(key)) continue;
      if (key.slice(key.lastIndexOf('.') + 1).startsWith(hashPrefix)) matching.push(key);
    }
    const found: Array<{ addressHash: string; entry: LedgerEntry }> = [];
    for (const key of matching) {
      const kv = await retryWrite(() => this.stores.ledger.get(key));
      if (kv?.operation === 'PUT') found.push({ addressHash: key.slice(key.lastIndexOf('.') + 1), entry: kv.json<LedgerEntry>() });
    }
    return found;
  }

  /**
   * Everyone with an outcome recorded for the newsletter, under any batch: a key listing (no
   * values read), in key order.
   */
  async *recipientsRecorded(newsletterId: string): AsyncIterable<{ readonly batchIndex: number; readonly addressHash: string }> {
    for await (const key of await this.stores.ledger.keys(`${newsletterId}.>`)) {
      if (!isLedgerEntryKey(key)) continue;
      const [, batch, hash] = key.split('.');
      if (hash === undefined) continue;
      yield { batchIndex: Number(batch), addressHash: hash };
    }
  }

  /**
   * What is recorded for a batch, for the sender about to send it (holding its lease). The first
   * time a batch is opened nothing is, and finding that out per recipient would cost a read each
   * for nothing. So opening a batch creates a marker under its exact key before anything is sent
   * (a create, which the stream leader refuses when the key exists: no replica's stale view can
   * make a redelivered batch look new), and the entries are read only when the marker was already
   * there (a redelivery, a re-drive, a re-split of the same batch).
   */
  async openBatch(newsletterId: string, batchIndex: number, emails: readonly string[]): Promise<Map<string, LedgerEntry>> {
    const marker = ledgerOpenedKey(newsletterId, batchIndex);
    // A create whose answer was lost and is retried meets its own marker: read, and find nothing.
    const opened = await retryWrite(async () => {
      try {
        await this.stores.ledger.create(marker, '');
        return true;
      } catch (error) {
        if (isWrongLastSequence(error)) return false;
        throw error;
      }
    });
    return opened ? new Map() : this.readBatch(newsletterId, batchIndex, emails);
  }

  /**
   * Marks that a bounce or complaint about this recipient was counted: `first` the first time,
   * `repeat` when one of that kind was counted before, `unknown` when the ledger has no entry for
   * the recipient (past its retention; counted, as nothing says it was before). The entry's outcome
   * is left as it is: re-send rounds and redelivered batches read it as before.
   */
  markFeedback(newsletterId: string, batchIndex: number, email: string, kind: 'bounce' | 'complaint', at: string): Promise<LedgerMark> {
    return this.markOnce(newsletterId, batchIndex, email, (entry) =>
      entry.feedback?.[kind] !== undefined ? null : { ...entry, feedback: { ...entry.feedback, [kind]: at } },
    );
  }

  /**
   * Marks that the recipient was counted as opening the newsletter (`open`), as opening it by
   * machine (`machineOpen`: a mail privacy proxy; never marks `open`) or as following a tracked
   * link (`click`): `first` the first time of that kind, `repeat` after, `unknown` when the ledger
   * has no entry for the recipient (past its retention: nothing says whether it is the first). Like
   * `markFeedback`, the entry's outcome is left as it is.
   */
  markEngagement(newsletterId: string, batchIndex: number, email: string, kind: EngagementMark, at: string): Promise<LedgerMark> {
    return this.markOnce(newsletterId, batchIndex, email, (entry) =>
      entry.engagement?.[kind] !== undefined ? null : { ...entry, engagement: { ...entry.engagement, [kind]: at } },
    );
  }

  /**
   * Claims one click (the recipient's, on `url`, at `occurredAt`) for counting: true the first
   * time, false when it was claimed before (its event is redelivered, or re-published). A marker is
   * created under the recipient's entry (`<entry key>.<hash of url and time in ms>`, see
   * `isLedgerEntryKey`), a create that the stream leader refuses when the key exists. The marker
   * holds a value of this call's own, so a create whose answer was lost and is retried knows its
   * own marker: the claim is neither lost nor made twice. Markers expire with the ledger's
   * retention, the events stream's too: a marker is written after its event was published, so it
   * outlives every redelivery of the event.
   */
  claimClick(newsletterId: string, batchIndex: number, email: string, url: string, occurredAt: string): Promise<boolean> {
    const clickId = hash('sha256', `${url}\n${Date.parse(occurredAt)}`, 'base64url').slice(0, 22);
    return this.claimOnce(`${ledgerKey(newsletterId, batchIndex, email)}.${clickId}`);
  }

  /**
   * Claims the recipient's first click on `url` (for the link's unique `recipients`): true the
   * first time, false for any later click of theirs on it. A marker under the recipient's entry
   * (`ledgerLinkKey`), made like a click's (see `claimClick`).
   */
  claimLink(newsletterId: string, batchIndex: number, email: string, url: string): Promise<boolean> {
    return this.claimOnce(ledgerLinkKey(newsletterId, batchIndex, email, url));
  }

  /**
   * Claims the recipient's unsubscribe through the newsletter's link for counting: true the first
   * time, false after (a redelivered or re-published event, or the recipient unsubscribing again
   * once their suppression was lifted). A marker `ledgerUnsubscribeKey` (no batch: the link names
   * none), made like a click's (see `claimClick`); it expires with the ledger's retention.
   */
  claimUnsubscribe(newsletterId: string, email: string): Promise<boolean> {
    return this.claimOnce(ledgerUnsubscribeKey(newsletterId, email));
  }

  /** Creates `key` with a value of this call's own: true when this call made it (a lost answer retried included). */
  private claimOnce(key: string): Promise<boolean> {
    const claim = randomUUID();
    return retryWrite(async () => {
      try {
        await this.stores.ledger.create(key, claim);
        return true;
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
      }
      const existing = await this.stores.ledger.get(key);
      return existing?.operation === 'PUT' && existing.string() === claim;
    });
  }

  /**
   * Marks a recipient's entry once, with revision compare-and-set (`mark` returns null when it is
   * marked already): `first` when this call marked it, `repeat` when it was marked before, `unknown`
   * without an entry.
   */
  private async markOnce(newsletterId: string, batchIndex: number, email: string, mark: (entry: LedgerEntry) => LedgerEntry | null): Promise<LedgerMark> {
    const change = await retryWrite(() => casUpdate<LedgerEntry>(this.stores.ledger, ledgerKey(newsletterId, batchIndex, email), mark));
    if (change.kind === 'missing') return 'unknown';
    return change.kind === 'updated' ? 'first' : 'repeat';
  }

  /**
   * Resolves when the server has stored the entry. Retries through a short NATS outage: an
   * outcome that is not recorded is an email that may be sent again.
   */
  record(newsletterId: string, batchIndex: number, entry: LedgerEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ key: ledgerKey(newsletterId, batchIndex, entry.email), value: JSON.stringify(entry), resolve, reject });
      if (this.queued.length === 1) setImmediate(() => this.flush());
    });
  }

  /**
   * Sends every write queued during this turn of the event loop in one go. The NATS client writes
   * its buffer to the socket once per microtask checkpoint; outcomes arrive from many SMTP
   * connections in separate I/O callbacks, so writing each at once would cost one syscall per
   * recipient. Deferring to the check phase makes it one per loop turn; the wait is not measurable.
   */
  private flush(): void {
    const writes = this.queued;
    this.queued = [];
    for (const write of writes) {
      retryWrite(() => this.stores.ledger.put(write.key, write.value)).then(write.resolve, write.reject);
    }
  }
}
