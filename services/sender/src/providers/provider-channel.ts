import type { ComposedEmail, DeliveryOutcome, OutgoingEmail, SmtpConnectResult, SmtpSession } from '@mailroom/mailer';
import type { CircuitBreaker, ProviderLimiter } from '@mailroom/rate-limit';
import type { ProviderConfig } from '../config/provider.config';
import { boundedWait } from '../rate-limits/bounded-wait';
import { providerSignalOf } from './provider-signal-of';

/** What a channel needs from an SMTP transport (`SmtpMailer`, or a script in tests). */
export interface MailTransport {
  /** Rejects (ComposeError) when the email cannot be turned into MIME. */
  compose(email: OutgoingEmail): Promise<ComposedEmail>;
  /** An open, idle connection; a connection that cannot be opened is an outcome. Rejects only on abort. */
  connect(signal?: AbortSignal): Promise<SmtpConnectResult>;
  /** An idle open connection right now, or undefined (then `connect`). */
  tryConnect(): SmtpSession | undefined;
  close(): void;
}

export interface ChannelSendOptions {
  /** Aborts the wait for a connection or a token (shutdown, or the batch failing elsewhere). */
  readonly signal: AbortSignal;
  /** The bound of one wait at a given rate (see `tokenWaitLimitMs`). */
  readonly waitLimitMs: (ratePerSecond: number) => number;
  /** Seconds spent waiting for a connection and a token, for the wait histogram. */
  readonly onWait?: (seconds: number) => void;
  /**
   * Stores an accepted outcome while the connection is still held (see SmtpSendOptions): a crash
   * then leaves at most one accepted, unrecorded message per connection.
   */
  readonly onAccepted?: (outcome: DeliveryOutcome, provider: string) => Promise<void>;
}

/**
 * One provider in this process: its connection pool, its limits (shared token bucket, circuit
 * breaker, AIMD). Sending goes: compose, an open idle connection, then a token, then the SMTP
 * transaction at once, then its outcome to the breaker and AIMD. A token is never taken before
 * the connection is ready (a slow TCP/TLS/AUTH handshake would otherwise bunch messages up at the
 * provider), and a connection that cannot be opened costs no token.
 */
export class ProviderChannel {
  constructor(
    readonly config: ProviderConfig,
    readonly limits: ProviderLimiter,
    private readonly transport: MailTransport,
  ) {}

  get name(): string {
    return this.config.name;
  }

  get priority(): number {
    return this.config.priority;
  }

  get breaker(): CircuitBreaker {
    return this.limits.breaker;
  }

  /**
   * Sends one email through this provider. The caller has selected it (`selectProvider`, which may
   * have made this request the breaker's half-open probe), so the outcome is always recorded.
   * Rejects only when the wait for a connection or token is aborted or runs past its bound.
   */
  async send(email: OutgoingEmail, options: ChannelSendOptions): Promise<DeliveryOutcome> {
    let message: ComposedEmail;
    try {
      message = await this.transport.compose(email);
    } catch (error) {
      // Nothing to do with the provider: no signal for its breaker.
      return { kind: 'permanent', reason: (error as Error).message, hardBounce: false };
    }
    // Shutdown or the batch failing elsewhere stops the send before it starts, fast path or not.
    options.signal.throwIfAborted();
    const immediate = this.connectAtOnce();
    if (immediate) options.onWait?.(0);
    const connected = immediate ?? (await this.connectAndWait(options));
    const { onAccepted } = options;
    const outcome = connected.ok
      ? await connected.session.send(message, onAccepted ? { beforeRelease: (accepted) => onAccepted(accepted, this.name) } : {})
      : connected.outcome;
    this.limits.record(providerSignalOf(outcome));
    return outcome;
  }

  /**
   * The common case under load, with nothing to wait for: an idle connection and a token both at
   * hand. No deadline, timer or abort listener is set up for it.
   */
  private connectAtOnce(): SmtpConnectResult | undefined {
    const session = this.transport.tryConnect();
    if (!session) return undefined;
    if (!this.limits.limiter.tryTake(1)) {
      session.release();
      return undefined;
    }
    return { ok: true, session };
  }

  /**
   * A connection (waiting for one to come back, or opening one), then a token. Only the token wait
   * gets a deadline of its own: a connection comes back when a transaction ends, and every
   * transaction and every connection attempt is bounded by the pool's timeouts, so that wait
   * needs no timer (under load most sends wait here, and a timer each was a measurable cost).
   */
  private async connectAndWait(options: ChannelSendOptions): Promise<SmtpConnectResult> {
    const started = performance.now();
    const connected = await this.transport.connect(options.signal);
    if (connected.ok && !this.limits.limiter.tryTake(1)) {
      const limiter = this.limits.limiter;
      try {
        await boundedWait(options.signal, options.waitLimitMs(limiter.ratePerSecond), (signal) => limiter.take(1, { signal }));
      } catch (error) {
        connected.session.release();
        throw error;
      }
    }
    options.onWait?.((performance.now() - started) / 1000);
    return connected;
  }

  close(): void {
    this.transport.close();
  }
}
