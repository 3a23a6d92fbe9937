import { Inject, Injectable } from '@nestjs/common';
import type { NewsletterContent, Recipient } from '@mailroom/contracts';
import type { DeliveryOutcome } from '@mailroom/mailer';
import { SENDER_CONFIG, type SenderConfig } from '../config/sender.config';
import type { ChannelSendOptions } from '../providers/provider-channel';
import { ProviderRegistry } from '../providers/provider-registry';
import { sendWithFailover } from '../providers/send-with-failover';
import { boundedWait, tokenWaitLimitMs } from '../rate-limits/bounded-wait';
import { NewsletterCaps } from '../rate-limits/newsletter-caps';
import { NO_PROVIDER_AVAILABLE, type NoProviderAvailable } from './ledger-outcome';
import { PersonalisedEmails, type BatchRef } from './personalised-emails';
import { SenderMetrics } from './sender.metrics';
import { SendScheduler } from '../scheduling/send-scheduler';

/**
 * How long one attempt waits for an open breaker to let traffic through (a half-open probe in
 * flight, a cooldown about to end) before the recipient is deferred without an SMTP transaction.
 */
export const PROVIDER_WAIT_MS = 5_000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export type RecipientAttempt =
  /** `provider`: whose answer `outcome` is; absent when the email could not be rendered. */
  | { readonly outcome: DeliveryOutcome; readonly provider?: string }
  /** No provider would take traffic; `retryInMs`: until the first breaker lets a probe through. */
  | { readonly outcome: NoProviderAvailable; readonly retryInMs: number };

/**
 * One SMTP attempt for one recipient: their email rendered first (a template that cannot render is
 * a permanent failure that costs no token), then the newsletter's cap token (if it has a cap), then
 * its newsletter's turn among those in flight (SendScheduler), then the preferred healthy
 * provider's connection and token, with failover. Rejects only when a wait
 * is aborted (shutdown, the batch failing) or runs past its bound; every SMTP answer is an outcome,
 * and so is finding every circuit breaker open (`unavailable`, no transaction made).
 */
@Injectable()
export class RecipientSender {
  constructor(
    @Inject(SENDER_CONFIG) private readonly config: SenderConfig,
    private readonly providers: ProviderRegistry,
    private readonly caps: NewsletterCaps,
    private readonly metrics: SenderMetrics,
    private readonly scheduler: SendScheduler,
  ) {
    this.emails = new PersonalisedEmails(config);
  }

  /** Renders each recipient's email; holds the compiled templates of the newsletters in progress. */
  private readonly emails: PersonalisedEmails;
  /** The last render queued: renders run one at a time, each in its own turn of the event loop. */
  private renders: Promise<unknown> = Promise.resolve();

  /**
   * Runs one render in its own turn of the event loop. A render may hold the loop for up to the
   * template's time budget (renderLimitMs); recipients are sent concurrently, and renders that
   * all resumed in the same turn would run back to back (ten 50 ms renders: a 500 ms stall).
   * Queued, each waits for the one before and then for a fresh turn (setImmediate), so health
   * probes, NATS and SMTP traffic get through between any two renders.
   */
  private inTurn<T>(render: () => T): Promise<T> {
    const turn = this.renders.then(yieldToEventLoop).then(render);
    this.renders = turn.catch(() => undefined);
    return turn;
  }

  /** `onAccepted`: see ChannelSendOptions; runs while the SMTP connection is still held. */
  async send(
    batch: BatchRef,
    content: NewsletterContent,
    recipient: Recipient,
    signal: AbortSignal,
    onAccepted?: ChannelSendOptions['onAccepted'],
  ): Promise<RecipientAttempt> {
    const { newsletterId } = batch;
    const personalised = await this.inTurn(() => this.emails.build(batch, content, recipient));
    if (!personalised.ok) return { outcome: { kind: 'permanent', reason: personalised.reason, hardBounce: false } };
    const waitLimitMs = (ratePerSecond: number) => tokenWaitLimitMs(this.config.ackWaitMs, ratePerSecond);
    const cap = this.caps.limiterFor(newsletterId, content.ratePerSecond);
    if (cap) {
      const { waitedSeconds } = await boundedWait(signal, waitLimitMs(cap.ratePerSecond), (s) => cap.take(1, { signal: s }));
      this.metrics.rateLimitWaitSeconds.observe({ limit: 'newsletter' }, waitedSeconds);
    }
    const stopTimer = this.metrics.sendSeconds.startTimer();
    // The newsletter's turn among those in flight first (its cap token is its own business and
    // taken before: a capped newsletter waiting for it must not hold a slot others could use).
    const result = await this.scheduler.send(newsletterId, content, signal, () =>
      sendWithFailover(this.providers.channels, personalised.email, {
        signal,
        waitLimitMs,
        providerWaitMs: PROVIDER_WAIT_MS,
        onWait: (seconds) => this.metrics.rateLimitWaitSeconds.observe({ limit: 'provider' }, seconds),
        onOutcome: (provider, outcome) => this.metrics.attempts.inc({ outcome: outcome.kind, provider }),
        ...(onAccepted ? { onAccepted } : {}),
      }),
    );
    if (result.kind === 'unavailable') {
      stopTimer({ outcome: NO_PROVIDER_AVAILABLE.kind });
      return { outcome: NO_PROVIDER_AVAILABLE, retryInMs: result.retryInMs };
    }
    stopTimer({ outcome: result.outcome.kind });
    return { outcome: result.outcome, provider: result.provider };
  }
}
