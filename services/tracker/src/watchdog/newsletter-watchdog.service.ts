import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BatchBitset, ContentObjects, Events, type BatchReadyEvent, type NewsletterRecord } from '@mailroom/contracts';
import {
  BatchLeases,
  EventPublisher,
  NewsletterControls,
  NewsletterRecords,
  ParkedBatches,
  QueuedBatches,
  type QueuedBatch,
} from '@mailroom/jetstream';
import { TRACKER_CONFIG, type TrackerConfig } from '../config/tracker.config';
import { NewsletterIndex } from '../leadership/newsletter-index';
import { LeaderPeriodicJob } from '../leadership/leader-periodic-job';
import { TrackerLeadership } from '../leadership/tracker-leadership.service';
import { NewsletterTracker } from '../tracking/newsletter-tracker.service';
import { LostBatchRebuilder } from './lost-batch-rebuilder';
import { SecondSighting } from './second-sighting';
import { judgeHandedOut, lostIndexes, stallOf, type LeaseFacts, type Outstanding } from './stall-decision';
import { WatchdogMetrics } from './watchdog.metrics';

/** Lease records read at once while looking for lost batches. */
const LEASE_READS_AT_ONCE = 64;

/**
 * Runs on the leading tracker: every WATCHDOG_INTERVAL_MS it looks at the sending newsletters
 * whose record has not changed for WATCHDOG_STALL_MS and re-drives what no one will deliver:
 * a batch message the senders' consumer has passed and forgotten (put back on the queue, the
 * original removed), or a batch gone from the stream altogether (rebuilt from the list). The
 * ledger keeps either exactly-once; a batch whose lease a sender holds is left alone.
 */
@Injectable()
export class NewsletterWatchdog implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(NewsletterWatchdog.name);
  private readonly sightings = new SecondSighting();
  /** Newsletters already reported as not re-drivable, so the log says it once per stall. */
  private reported = new Set<string>();
  private readonly job: LeaderPeriodicJob;

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly leadership: TrackerLeadership,
    private readonly index: NewsletterIndex,
    private readonly records: NewsletterRecords,
    private readonly controls: NewsletterControls,
    private readonly queue: QueuedBatches,
    private readonly parked: ParkedBatches,
    private readonly leases: BatchLeases,
    private readonly rebuilder: LostBatchRebuilder,
    private readonly publisher: EventPublisher,
    private readonly tracker: NewsletterTracker,
    private readonly metrics: WatchdogMetrics,
  ) {
    this.job = new LeaderPeriodicJob({
      name: 'Watchdog look',
      everyMs: this.config.watchdog.intervalMs,
      run: () => this.look(),
      logger: this.logger,
      // The leader always exports the series (an alert can tell "none stalled" from "no leader").
      onLead: () => this.metrics.stalled.set(0),
      onFollow: () => {
        this.sightings.reset();
        this.reported = new Set();
        this.metrics.stalled.remove();
      },
    });
  }

  onModuleInit(): void {
    this.job.attach(this.leadership);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.shutdown();
  }

  private async look(): Promise<void> {
    if (!this.index.ready) return;
    const { stallMs } = this.config.watchdog;
    const stalled = new Set<string>();
    for (const id of this.index.sendingUnchangedSince(Date.now() - stallMs)) {
      if (!this.leadership.isLeader) return;
      try {
        if (await this.inspect(id)) stalled.add(id);
      } catch (error) {
        stalled.add(id);
        this.logger.warn({ newsletterId: id, error: (error as Error).message }, 'Stalled newsletter could not be inspected');
      }
    }
    this.sightings.endLook();
    // A newsletter that moved again is reported afresh if it stalls again.
    this.reported = new Set([...this.reported].filter((key) => stalled.has(key.slice(0, key.indexOf(':')))));
    if (this.leadership.isLeader) this.metrics.stalled.set(stalled.size);
  }

  /** True when the newsletter is stalled (whether or not anything could be re-driven). */
  private async inspect(id: string): Promise<boolean> {
    const record = await this.records.get(id);
    if (!record) return false;
    const now = Date.now();
    const decision = stallOf(record, { now, stallMs: this.config.watchdog.stallMs, control: this.controls.stateOf(id) });
    if (!decision.stalled) return false;
    // A pause or a resume is moving its batches between the streams: theirs to finish.
    if ((await this.parked.count(id)) > 0) return true;
    const queue = await this.queue.scan(id);
    await this.redriveHandedOut(record, queue.handedOut, now);
    // Something still waits its turn in the queue: nothing is lost until the queue has drained.
    if (queue.waiting === 0) await this.rebuildLost(record, decision.outstanding, queue.handedOut, now);
    return true;
  }

  /** Copies the consumer has handed out: a stranded one is put back, a counted leftover removed. */
  private async redriveHandedOut(record: NewsletterRecord, handedOut: readonly QueuedBatch[], now: number): Promise<void> {
    const id = record.id;
    const counted = countedOf(record);
    const redriven = new Map<string, number[]>();
    for (const copy of handedOut) {
      const { round, batchIndex } = copy.batch;
      const lease = await this.leases.inspect({ newsletterId: id, round, batchIndex });
      const verdict = judgeHandedOut(
        { counted: counted(round, batchIndex), storedAt: copy.storedAt, lease },
        { now, stallMs: this.config.watchdog.stallMs },
      );
      if (verdict !== 'stranded' && verdict !== 'done') continue;
      if (!this.sightings.confirm(`${id}:${copy.seq}:${verdict}`)) continue;
      if (verdict === 'stranded') {
        // The same message, as a new one the consumer has not passed; msgID per original, so two
        // leaders (during a takeover) put it back once.
        await this.publisher.publish(Events.BatchReady, copy.batch, {
          msgId: `${id}:${round ?? 'first'}:b${batchIndex}:watchdog:${copy.seq}`,
          key: id,
        });
        this.metrics.redrives.inc({ kind: 'stranded' });
        redriven.set(round ?? 'first', [...(redriven.get(round ?? 'first') ?? []), batchIndex]);
      }
      // Put back (or counted already): the original would only sit in the stream forever.
      await this.queue.remove(copy.seq);
      if (verdict === 'done') this.logger.log({ newsletterId: id, batchIndex, round, seq: copy.seq }, 'Leftover copy of a counted batch removed');
    }
    for (const [round, batchIndexes] of redriven) {
      this.logger.warn({ newsletterId: id, round, batchIndexes, kind: 'stranded' }, 'Stalled newsletter: stranded batches re-driven');
    }
  }

  private async rebuildLost(record: NewsletterRecord, outstanding: Outstanding, handedOut: readonly QueuedBatch[], now: number): Promise<void> {
    const id = record.id;
    const context = { now, stallMs: this.config.watchdog.stallMs };
    const inStream = (round: string | undefined) =>
      new Set(handedOut.filter((c) => c.batch.round === round).map((c) => c.batch.batchIndex));

    if (outstanding.firstPass.length > 0) {
      const copies = inStream(undefined);
      const candidates = outstanding.firstPass.filter((index) => !copies.has(index));
      const lost = lostIndexes(candidates, copies, await this.leaseFacts(id, undefined, candidates), context);
      // A refused rebuild (reported) is not tried again until the newsletter moves: it reads the whole list.
      const refused = this.reported.has(`${id}:first`);
      if (lost.length > 0 && !refused && this.sightings.confirm(`${id}:lost:first:${lost.join(',')}`)) {
        await this.rebuildFirstPass(record, lost, handedOut);
      }
    }
    if (outstanding.splitUnknown) this.reportOnce(id, 'split', 'Stalled newsletter: its split never arrived; nothing to re-drive');

    for (const open of outstanding.rounds) {
      if (open.batches === null || !/^r\d+$/.test(open.round)) {
        this.reportOnce(id, open.round, `Stalled newsletter: round ${open.round} cannot be rebuilt (its size is unknown, or it re-drives a dead letter)`);
        continue;
      }
      const groups = await this.rebuilder.roundGroups(id, open.counted);
      const copies = inStream(open.round);
      const candidates = [...groups.keys()].filter((index) => !copies.has(index));
      const lost = lostIndexes(candidates, copies, await this.leaseFacts(id, open.round, candidates), context);
      if (lost.length === 0 || !this.sightings.confirm(`${id}:lost:${open.round}:${lost.join(',')}`)) continue;
      const batches = lost.map((index) => [index, groups.get(index)!] as const);
      await this.publishRebuilt(record, open.round, batches);
    }
  }

  private async rebuildFirstPass(record: NewsletterRecord, lost: readonly number[], handedOut: readonly QueuedBatch[]): Promise<void> {
    const id = record.id;
    const rebuilt = await this.rebuilder.firstPass(record, lost, handedOut);
    if (!rebuilt.ok) {
      this.reportOnce(id, 'first', `Stalled newsletter: lost batches cannot be rebuilt (${rebuilt.reason})`, [...lost]);
      return;
    }
    // A batch counted while the list was read was not lost after all: look again next time.
    const fresh = await this.records.get(id);
    const counted = fresh ? BatchBitset.decode(fresh.countedBatches) : undefined;
    if (!counted || lost.some((index) => counted.has(index))) return;
    await this.publishRebuilt(record, undefined, [...rebuilt.batches]);
    if (rebuilt.leftOut > 0) {
      this.logger.warn({ newsletterId: id, leftOut: rebuilt.leftOut }, 'Recipients possibly suppressed at split time left out of rebuilt batches');
    }
  }

  private async publishRebuilt(record: NewsletterRecord, round: string | undefined, batches: ReadonlyArray<readonly [number, BatchReadyEvent['recipients']]>): Promise<void> {
    const id = record.id;
    const occurredAt = new Date().toISOString();
    const batchIndexes: number[] = [];
    for (const [batchIndex, recipients] of batches) {
      if (recipients.length === 0) {
        // Nobody left in it (all of it was left out): count it as done, or the newsletter never settles.
        await this.tracker.batchCompleted({ newsletterId: id, occurredAt, batchIndex, sent: 0, failed: 0, suppressed: 0, failures: [], ...(round ? { round } : {}) });
        continue;
      }
      const batch: BatchReadyEvent = {
        newsletterId: id,
        occurredAt,
        batchIndex,
        contentObject: ContentObjects.content(id),
        recipients,
        ...(round ? { round } : {}),
      };
      // msgID per stall (the record's last change): two leaders during a takeover rebuild it once.
      await this.publisher.publish(Events.BatchReady, batch, {
        msgId: `${id}:${round ?? 'first'}:b${batchIndex}:rebuilt:${Date.parse(record.updatedAt)}`,
        key: id,
      });
      this.metrics.redrives.inc({ kind: 'lost' });
      batchIndexes.push(batchIndex);
    }
    this.logger.warn({ newsletterId: id, round: round ?? 'first', batchIndexes, kind: 'lost' }, 'Stalled newsletter: lost batches rebuilt and re-driven');
  }

  private async leaseFacts(id: string, round: string | undefined, indexes: readonly number[]): Promise<Map<number, LeaseFacts>> {
    const facts = new Map<number, LeaseFacts>();
    for (let start = 0; start < indexes.length; start += LEASE_READS_AT_ONCE) {
      const slice = indexes.slice(start, start + LEASE_READS_AT_ONCE);
      const read = await Promise.all(slice.map((batchIndex) => this.leases.inspect({ newsletterId: id, round, batchIndex })));
      slice.forEach((index, i) => facts.set(index, read[i]!));
    }
    return facts;
  }

  private reportOnce(id: string, what: string, message: string, batchIndexes?: number[]): void {
    const key = `${id}:${what}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.logger.error({ newsletterId: id, ...(batchIndexes ? { batchIndexes } : {}) }, message);
  }
}

/** Whether a batch's result is counted, for the first pass (round undefined) or a round. */
function countedOf(record: NewsletterRecord): (round: string | undefined, index: number) => boolean {
  const firstPass = BatchBitset.decode(record.countedBatches);
  const rounds = new Map(Object.entries(record.rounds).map(([round, state]) => [round, BatchBitset.decode(state.counted)]));
  return (round, index) => (round === undefined ? firstPass : rounds.get(round))?.has(index) ?? false;
}
