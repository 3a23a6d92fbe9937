import { Injectable } from '@nestjs/common';
import {
  tenantOf,
  AddressKeySet,
  ContentObjects,
  addressHash,
  type BatchBitset,
  type NewsletterContent,
  type NewsletterRecord,
  type Recipient,
} from '@mailroom/contracts';
import {
  ContentStore,
  DeliveryLedger,
  FailureRecords,
  ListPartsStore,
  SuppressionRecords,
  suppressionScopesFor,
  readNewsletterList,
  type QueuedBatch,
} from '@mailroom/jetstream';
import { assignToLostBatches } from './rebuilt-batches';

export type Rebuilt =
  | {
      readonly ok: true;
      readonly batches: ReadonlyMap<number, Recipient[]>;
      /** Recipients nobody accounts for that were left out: possibly suppressed when the list was split. */
      readonly leftOut: number;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Rebuilds lost batches from what is stored. Nothing keeps a first-pass batch once its message
 * is gone, and a re-cut of the list would not reproduce it (the suppression list the split saw has
 * changed since: every hard bounce adds to it), so the lost batches are rebuilt as a complement:
 * the newsletter's list read exactly as the splitter read it, minus everyone some batch accounts
 * for (a ledger entry under any batch, a failure record, a copy still in the batches stream). What
 * is left was in the lost batches and was never attempted; nobody is sent twice.
 */
@Injectable()
export class LostBatchRebuilder {
  constructor(
    private readonly content: ContentStore,
    private readonly listParts: ListPartsStore,
    private readonly ledger: DeliveryLedger,
    private readonly failures: FailureRecords,
    private readonly suppressions: SuppressionRecords,
  ) {}

  /**
   * First-pass batches `lost` of `record`. `queued` must be every copy of the newsletter's batches
   * still in the stream, read before this call (a batch that finishes meanwhile is then either
   * in `queued` or, once acknowledged, in the ledger read here: never in neither).
   */
  async firstPass(record: NewsletterRecord, lost: readonly number[], queued: readonly QueuedBatch[]): Promise<Rebuilt> {
    const id = record.id;
    const covered = new AddressKeySet();
    for (const copy of queued) for (const r of copy.batch.recipients) covered.add(addressHash(r.email));
    // Who the ledger files under a lost index stays in that batch (its outcome counts there).
    const ownIndex = new Map<string, number>();
    const lostSet = new Set(lost);
    for await (const { batchIndex, addressHash: hash } of this.ledger.recipientsRecorded(id)) {
      covered.add(hash);
      if (lostSet.has(batchIndex)) ownIndex.set(hash, batchIndex);
    }
    // Failures without a ledger entry: recipients of a dead-lettered batch (already counted).
    for await (const hash of this.failures.addressHashes(id)) covered.add(hash);

    // The list read exactly as the splitter read it (readNewsletterList: the splitter's own batcher,
    // without the suppression list): the same addresses, normalised and de-duplicated the same way,
    // in the same order.
    const list = await readNewsletterList(id, { content: this.content, listParts: this.listParts });
    if (!list.ok) return { ok: false, reason: `${list.reason}: the list is what a lost batch is rebuilt from` };
    const body = await this.content.getJson<NewsletterContent>(ContentObjects.content(id));
    const test = list.request?.test ?? body?.test ?? record.test;

    const own = new Map<number, Recipient[]>(lost.map((index) => [index, []]));
    const unaccounted: Recipient[] = [];
    const take = (recipients: readonly Recipient[]) => {
      for (const recipient of recipients) {
        const hash = addressHash(recipient.email);
        const index = ownIndex.get(hash);
        if (index !== undefined) own.get(index)!.push(recipient);
        else if (!covered.has(hash)) unaccounted.push(recipient);
      }
    };
    for await (const batch of list.batches) take(batch.recipients);

    // Test sends honour the suppression lists too (since tenants); one split before that did not.
    const leftovers = test && record.tenant === undefined ? unaccounted : await this.withoutSuppressedAtSplit(record, unaccounted);
    // Never more than the newsletter still waits for: anything else means a batch was missed above,
    // and rebuilding would send its recipients a second time.
    const rebuilt = leftovers.length + [...own.values()].reduce((n, r) => n + r.length, 0);
    const pending = pendingOf(record);
    if (rebuilt > pending) {
      return { ok: false, reason: `${rebuilt} recipients found unaccounted for, more than the ${pending} the newsletter waits for` };
    }
    const batches = assignToLostBatches(lost, own, leftovers);
    if (!batches) return { ok: false, reason: `${leftovers.length} recipients do not fit in ${lost.length} batch(es)` };
    return { ok: true, batches, leftOut: unaccounted.length - leftovers.length };
  }

  /**
   * A retry round's batches, by first-pass index: its transiently failed recipients not yet
   * recovered (what the splitter published for the round, minus those settled since), for the
   * indexes the round has not counted.
   */
  async roundGroups(newsletterId: string, counted: BatchBitset): Promise<Map<number, Recipient[]>> {
    const groups = new Map<number, Recipient[]>();
    for await (const failure of this.failures.list(newsletterId)) {
      if (failure.permanent || failure.batchIndex < 0 || counted.has(failure.batchIndex)) continue;
      const group = groups.get(failure.batchIndex) ?? [];
      group.push({ email: failure.email });
      groups.set(failure.batchIndex, group);
    }
    return groups;
  }

  /**
   * Drops whoever the splitter left out as suppressed: suppressed before the split started, or
   * un-suppressed since it started (they may have been suppressed then; not sending is the safe
   * side). Someone suppressed after the split was in a batch: they stay, and the sender skips
   * and counts them as suppressed.
   */
  private async withoutSuppressedAtSplit(record: NewsletterRecord, recipients: readonly Recipient[]): Promise<Recipient[]> {
    const splitAt = Date.parse(record.startedAt ?? record.createdAt);
    const kept: Recipient[] = [];
    const scopes = suppressionScopesFor(tenantOf(record));
    for (const recipient of recipients) {
      let leftOut = false;
      for (const scope of scopes) {
        const change = await this.suppressions.lastChange(recipient.email, scope);
        if (change !== null && (change.kind === 'suppressed' ? Date.parse(change.entry.at) < splitAt : change.at.getTime() >= splitAt)) leftOut = true;
      }
      if (!leftOut) kept.push(recipient);
    }
    return kept;
  }
}

function pendingOf(record: NewsletterRecord): number {
  return Math.max(0, (record.total ?? record.submitted) - record.sent - record.failed - record.suppressed - record.cancelled);
}
