import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  tenantOf,
  Events,
  addressHash,
  type BatchCompletedEvent,
  type BatchReadyEvent,
  type LedgerEntry,
  type NewsletterContent,
  type Recipient,
} from '@mailroom/contracts';
import {
  BatchLeases,
  DeliveryLedger,
  EventPublisher,
  FailureRecords,
  NatsClient,
  NewsletterControls,
  ParkedBatches,
  PermanentError,
  RecipientEventPublisher,
  RetryableError,
  SuppressionList,
  GLOBAL_SUPPRESSIONS,
  backoffDelayMs,
} from '@mailroom/jetstream';
import { SENDER_CONFIG, type SenderConfig } from '../config/sender.config';
import { SendingShutdown } from '../rate-limits/sending-shutdown';
import { needsAttempt, summarize } from './batch-result';
import { ContentCache } from './content-cache';
import { handBack } from './hand-back';
import { NO_PROVIDER_AVAILABLE, suppressedEntry, toLedgerEntry, type AttemptContext, type AttemptOutcome } from './ledger-outcome';
import { outcomeEvent, shouldReannounce } from './recipient-outcomes';
import { RecipientSender, type RecipientAttempt } from './recipient-sender.service';
import { runLimited } from './run-limited';
import { SenderMetrics } from './sender.metrics';
import { SendScheduler } from '../scheduling/send-scheduler';
import { BatchRebalancer } from '../scheduling/batch-rebalancer';

/** How long a send waits for a lost NATS connection before the batch is handed back. */
const CONNECTION_WAIT_MS = 30_000;

/** The newsletter was paused or cancelled while its batch was being sent. */
class ControlChangedError extends Error {
  override readonly name = 'ControlChangedError';
}

/** The dispatcher's windows asked this sender to give the batch back (see BatchRebalancer). */
class SetAsideError extends Error {
  override readonly name = 'SetAsideError';
}

/**
 * Sends one batch. Recipients the ledger already settled are skipped, so a redelivered batch only
 * retries those still deferred; each outcome is written right after its SMTP transaction (writes
 * are pipelined and awaited together). Deferred recipients make the batch retry later; once
 * everyone is settled, one `batch.completed` reports the batch. When no provider takes traffic
 * (every breaker open) the rest of the batch is deferred without trying and handed back.
 */
@Injectable()
export class BatchSender {
  private readonly logger = new Logger(BatchSender.name);

  constructor(
    @Inject(SENDER_CONFIG) private readonly config: SenderConfig,
    private readonly contents: ContentCache,
    private readonly ledger: DeliveryLedger,
    private readonly failures: FailureRecords,
    private readonly suppressions: SuppressionList,
    private readonly leases: BatchLeases,
    private readonly recipients: RecipientSender,
    private readonly publisher: EventPublisher,
    private readonly nats: NatsClient,
    private readonly metrics: SenderMetrics,
    private readonly shutdown: SendingShutdown,
    private readonly controls: NewsletterControls,
    private readonly parked: ParkedBatches,
    private readonly scheduler: SendScheduler,
    private readonly recipientEvents: RecipientEventPublisher,
    private readonly rebalancer: BatchRebalancer,
  ) {}

  /** `deliveryCount`: this delivery of the batch message (1 the first time), for the retry backoff. */
  async deliver(batch: BatchReadyEvent, deliveryCount = 1): Promise<void> {
    // Paused or cancelled: nothing to send now (a pause parks the batch until resume).
    if (await this.settleByControl(batch)) return;
    const content = await this.contents.get(batch.contentObject);
    if (!content) throw new PermanentError(`Content ${batch.contentObject} of newsletter ${batch.newsletterId} is missing`);

    // One sender per batch at a time: JetStream can hand a batch out again while its first
    // taker still works on it (an ack wait lost in a NATS outage); the lease makes the second wait.
    const lease = await this.leases.claim(batch, this.config.ackWaitMs);
    if ('heldForMs' in lease) {
      throw new RetryableError('Batch is being sent by another sender', { delayMs: lease.heldForMs + 250 });
    }
    const renewal = setInterval(() => void lease.renew(), this.config.ackWaitMs / 4);
    const inFlight = this.scheduler.batchStarted(content);
    const placement = this.rebalancer.track(batch.newsletterId);
    try {
      await this.sendBatch(batch, content, { leaseValid: () => lease.valid, deliveryCount, setAside: () => placement.setAside });
    } catch (error) {
      if (error instanceof SetAsideError) {
        // What was sent is in the ledger; the rest waits among the held batches for its turn.
        await this.parked.holdAgain(batch);
        this.metrics.batches.inc({ result: 'set_aside' });
        return;
      }
      // Stopped by a pause or a cancel: what was sent is in the ledger; park or count the rest.
      if (!(error instanceof ControlChangedError && (await this.settleByControl(batch)))) throw error;
    } finally {
      placement.done();
      inFlight();
      clearInterval(renewal);
      await lease.release();
    }
  }

  /** Parks the batch of a paused newsletter, completes the batch of a cancelled one. False when active. */
  private async settleByControl(batch: BatchReadyEvent): Promise<boolean> {
    const state = this.controls.stateOf(batch.newsletterId);
    if (state === 'active') return false;
    if (state === 'paused') {
      await this.parked.park(batch);
      this.metrics.batches.inc({ result: 'parked' });
      return true;
    }
    // Cancelled: report what the ledger holds; everyone else in the batch is cancelled.
    const known = await this.ledger.readBatch(batch.newsletterId, batch.batchIndex, batch.recipients.map((r) => r.email));
    const entries = batch.recipients.map((r) => known.get(addressHash(r.email))).filter((e): e is LedgerEntry => e !== undefined && e.state !== 'deferred');
    await this.publishCompleted(batch, entries, batch.round === undefined ? batch.recipients.length - entries.length : 0);
    this.metrics.batches.inc({ result: 'cancelled' });
    return true;
  }

  private async sendBatch(
    batch: BatchReadyEvent,
    content: NewsletterContent,
    { leaseValid, deliveryCount, setAside }: { leaseValid: () => boolean; deliveryCount: number; setAside: () => boolean },
  ): Promise<void> {
    const { newsletterId, batchIndex, round } = batch;
    const known = await this.ledger.openBatch(newsletterId, batchIndex, batch.recipients.map((r) => r.email));
    const settled: LedgerEntry[] = [];
    const writes: Promise<void>[] = [];
    // One failed recipient stops the batch (its abort ends the other recipients' waits at once),
    // and so does shutdown. A child controller with the listener removed afterwards, rather than
    // AbortSignal.any, so nothing accumulates on the process-long shutdown signal.
    const batchStop = new AbortController();
    const onShutdown = () => batchStop.abort(this.shutdown.signal.reason);
    if (this.shutdown.signal.aborted) onShutdown();
    else this.shutdown.signal.addEventListener('abort', onShutdown, { once: true });
    const signal = batchStop.signal;
    const parallel = Math.max(...this.config.providers.map((p) => p.pool.maxConnections)) * 2;
    // Set once an attempt found every breaker open: the rest of this delivery is not tried (each
    // would wait for a provider in vain) but deferred, and the batch handed back.
    let outage: { retryInMs: number } | undefined;
    const progress = this.reportProgress(batch, settled);
    // RECIPIENT_EVENTS: each final outcome's event, pipelined with the ledger writes and awaited
    // with them before the batch is reported, never one round trip at a time.
    const announce = (entry: LedgerEntry, response?: string) => {
      const event = this.recipientEvents.enabled ? outcomeEvent(batch, content, entry, response) : undefined;
      const published = event && this.recipientEvents.publish(event);
      if (published) writes.push(published.then(() => undefined));
    };

    await runLimited(batch.recipients, parallel, async (recipient) => {
      try {
        // A batch opened for the first time knows nobody: no address hash to compute.
        const previous = known.size === 0 ? undefined : known.get(addressHash(recipient.email));
        if (!needsAttempt(previous, round)) {
          settled.push(previous!);
          if (this.recipientEvents.enabled && shouldReannounce(previous!, batch, deliveryCount)) announce(previous!);
          return;
        }
        const context: AttemptContext = { previous, maxAttempts: this.config.maxAttempts, maxDeferralMs: this.config.maxDeferralMs, round };
        // The global suppression list and the newsletter's tenant's (test sends included).
        if (this.suppressions.has(recipient.email, tenantOf(content))) {
          const entry = suppressedEntry(recipient.email, context);
          settled.push(entry);
          writes.push(...this.record(batch, entry));
          return;
        }
        if (!leaseValid()) throw new RetryableError('Batch lease lost; handing the batch back');
        if (this.controls.stateOf(newsletterId) !== 'active') throw new ControlChangedError(`Newsletter ${newsletterId} paused or cancelled`);
        if (setAside()) throw new SetAsideError(`Batch ${batchIndex} of newsletter ${newsletterId} set aside: its newsletter held more than its window`);
        const { entry, hardBounce, recorded, retryInMs, response } = outage
          ? { entry: toLedgerEntry(recipient.email, NO_PROVIDER_AVAILABLE, context), recorded: false }
          : await this.attempt(batch, content, recipient, context, signal);
        if (retryInMs !== undefined) outage = { retryInMs: Math.max(retryInMs, outage?.retryInMs ?? 0) };
        settled.push(entry);
        // `previous` itself: nothing new (still deferred, no provider to try), nothing to write.
        if (!recorded && entry !== previous) writes.push(...this.record(batch, entry));
        if (entry !== previous) announce(entry, response);
        if (hardBounce) {
          // A 5xx to RCPT TO: later newsletters (and later batches of this one) skip the address.
          writes.push(
            // On the global list: an address that does not exist does not exist for any tenant.
            this.suppressions.add({ email: recipient.email, reason: 'bounced', at: entry.at, source: newsletterId, detail: hardBounce }, GLOBAL_SUPPRESSIONS),
          );
        }
      } catch (error) {
        batchStop.abort(error);
        throw error;
      }
    }).finally(() => {
      clearInterval(progress);
      this.shutdown.signal.removeEventListener('abort', onShutdown);
      return Promise.allSettled(writes);
    });
    // A failed write throws here: the batch is retried and the ledger decides again.
    await Promise.all(writes);

    const deferred = settled.filter((e) => e.state === 'deferred').length;
    if (deferred > 0) {
      this.metrics.batches.inc({ result: 'retry' });
      const message = `${deferred} of ${batch.recipients.length} recipient(s) deferred`;
      if (!outage) throw new RetryableError(message);
      throw new RetryableError(`${message}; no SMTP provider available`, { delayMs: this.outageRetryDelayMs(deliveryCount, outage.retryInMs) });
    }
    await this.publishCompleted(batch, settled);
    this.metrics.batches.inc({ result: 'completed' });
  }

  /**
   * Every BATCH_PROGRESS_INTERVAL_MS while a first-pass batch is sent: its recipients settled so
   * far (`batch.progressed`, cumulative), when they changed. Best effort: a lost one is made good
   * by the next, or by the batch's result.
   */
  private reportProgress(batch: BatchReadyEvent, settled: readonly LedgerEntry[]): NodeJS.Timeout | undefined {
    if (batch.round !== undefined || this.config.progressIntervalMs === 0) return undefined;
    let reported = -1;
    const timer = setInterval(() => {
      const counts = { sent: 0, failed: 0, suppressed: 0 };
      for (const entry of settled) {
        if (entry.state === 'accepted') counts.sent += 1;
        else if (entry.state === 'failed') counts.failed += 1;
        else if (entry.state === 'suppressed') counts.suppressed += 1;
      }
      const total = counts.sent + counts.failed + counts.suppressed;
      if (total === reported) return;
      reported = total;
      const event = { newsletterId: batch.newsletterId, occurredAt: new Date().toISOString(), batchIndex: batch.batchIndex, ...counts };
      const msgId = `${batch.newsletterId}:first:b${batch.batchIndex}:progress:${total}`;
      this.publisher.publish(Events.BatchProgressed, event, { msgId }).catch((error: unknown) => {
        this.logger.debug({ newsletterId: batch.newsletterId, batchIndex: batch.batchIndex, error: (error as Error).message }, 'Batch progress not reported');
      });
    }, this.config.progressIntervalMs);
    timer.unref();
    return timer;
  }

  /**
   * The redelivery delay of a batch handed back because no provider took traffic: the usual
   * backoff (so that a long outage costs few deliveries, and `batchMaxDeliver` holds), but never
   * before the first breaker lets a probe through (an earlier delivery would only wait in vain).
   */
  private outageRetryDelayMs(deliveryCount: number, retryInMs: number): number {
    return Math.max(backoffDelayMs(this.config.retry.sender, deliveryCount), Math.ceil(retryInMs));
  }

  /**
   * One SMTP attempt. An acceptance is recorded before its connection takes the next message
   * (`recorded`), so a crash leaves at most one accepted, unrecorded email per connection; other
   * outcomes are recorded by the caller, alongside the rest of the batch. `retryInMs`: no
   * provider took traffic, and this is how long until one lets a probe through.
   */
  private async attempt(
    batch: BatchReadyEvent,
    content: NewsletterContent,
    recipient: Recipient,
    context: AttemptContext,
    signal: AbortSignal,
  ): Promise<{ entry: LedgerEntry; hardBounce?: string; recorded: boolean; retryInMs?: number; response?: string }> {
    // An outcome that cannot be recorded would be sent again later: wait for NATS first.
    if (!(await this.nats.waitForConnection(CONNECTION_WAIT_MS))) {
      throw new RetryableError('NATS connection lost; batch handed back');
    }
    const entryFor = (outcome: AttemptOutcome, provider: string | undefined) =>
      toLedgerEntry(recipient.email, outcome, { ...context, ...(provider !== undefined ? { provider } : {}) });
    let acceptedEntry: LedgerEntry | undefined;
    let response: string | undefined;
    const recordAccepted = async (outcome: AttemptOutcome, provider: string) => {
      acceptedEntry = entryFor(outcome, provider);
      if (outcome.kind === 'accepted') response = outcome.response;
      await Promise.all(this.record(batch, acceptedEntry));
    };
    let sent: RecipientAttempt;
    try {
      sent = await this.recipients.send(batch, content, recipient, signal, recordAccepted);
    } catch (error) {
      throw handBack(error);
    }
    if (acceptedEntry) return { entry: acceptedEntry, recorded: true, ...(response !== undefined ? { response } : {}) };
    if ('retryInMs' in sent) return { entry: entryFor(sent.outcome, undefined), recorded: false, retryInMs: sent.retryInMs };
    const { outcome, provider } = sent;
    const entry = entryFor(outcome, provider);
    return outcome.kind === 'permanent' && outcome.hardBounce ? { entry, hardBounce: outcome.reason, recorded: false } : { entry, recorded: false };
  }

  /** The writes that record one outcome: the ledger always, the failure list when it changes. */
  private record(batch: BatchReadyEvent, entry: LedgerEntry): Promise<void>[] {
    const writes = [this.ledger.record(batch.newsletterId, batch.batchIndex, entry)];
    if (entry.state === 'failed') {
      writes.push(
        this.failures.record(batch.newsletterId, {
          email: entry.email,
          batchIndex: batch.batchIndex,
          ...(entry.code !== undefined ? { code: entry.code } : {}),
          reason: entry.reason ?? 'unknown',
          permanent: entry.permanent ?? false,
          attempts: entry.attempts,
          ...(entry.provider !== undefined ? { provider: entry.provider } : {}),
          at: entry.at,
        }),
      );
    } else if (batch.round !== undefined && (entry.state === 'accepted' || entry.state === 'suppressed')) {
      writes.push(this.failures.clear(batch.newsletterId, entry.email));
    }
    return writes;
  }

  private async publishCompleted(batch: BatchReadyEvent, entries: readonly LedgerEntry[], cancelled = 0): Promise<void> {
    const counts = summarize(entries, batch.round);
    const event: BatchCompletedEvent = {
      newsletterId: batch.newsletterId,
      occurredAt: new Date().toISOString(),
      batchIndex: batch.batchIndex,
      ...(batch.round !== undefined ? { round: batch.round } : {}),
      ...counts,
      ...(cancelled > 0 ? { cancelled } : {}),
    };
    await this.publisher.publish(Events.BatchCompleted, event, {
      msgId: `${batch.newsletterId}:${batch.round ?? 'first'}:b${batch.batchIndex}:completed`,
    });
    if (counts.failed > 0) {
      this.logger.warn(
        { newsletterId: batch.newsletterId, batchIndex: batch.batchIndex, round: batch.round, failed: counts.failed },
        'Batch completed with failures',
      );
    }
  }
}
