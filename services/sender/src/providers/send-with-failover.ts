import type { DeliveryOutcome, OutgoingEmail } from '@mailroom/mailer';
import { msUntilAnyProvider, realSleep, selectProvider, type Sleep } from '@mailroom/rate-limit';
import type { ChannelSendOptions, ProviderChannel } from './provider-channel';
import { worthFailingOver } from './provider-signal-of';

export interface FailoverOptions extends ChannelSendOptions {
  /**
   * How long an attempt may wait for some provider to take traffic when every breaker is open
   * (or a half-open one is busy with its probe) before the recipient is deferred.
   */
  readonly providerWaitMs: number;
  /** Called for each SMTP transaction (a failover makes several per recipient). */
  readonly onOutcome?: (provider: string, outcome: DeliveryOutcome) => void;
  readonly sleep?: Sleep;
}

export type FailoverResult =
  /** The last provider's outcome (several were tried when the first ones failed at their end). */
  | { readonly kind: 'sent'; readonly provider: string; readonly outcome: DeliveryOutcome }
  /** No provider would take traffic within `providerWaitMs`. */
  | { readonly kind: 'unavailable'; readonly retryInMs: number };

/** The shortest pause between two looks at the breakers while all are open. */
const PROVIDER_POLL_MS = 50;
const MAX_PROVIDER_POLL_MS = 250;

/**
 * One delivery attempt for one recipient: the preferred healthy provider first; when it fails at
 * its own end (unreachable, throttling) the next untried one at once, since the recipient was not
 * the problem. An answer about the recipient (accepted, refused, a 4xx to RCPT TO) ends the attempt.
 */
export async function sendWithFailover(
  channels: readonly ProviderChannel[],
  email: OutgoingEmail,
  options: FailoverOptions,
): Promise<FailoverResult> {
  const tried = new Set<ProviderChannel>();
  let last: { provider: string; outcome: DeliveryOutcome } | undefined;
  while (tried.size < channels.length) {
    const untried = channels.filter((channel) => !tried.has(channel));
    // Wait for a breaker only before the first try: after a failure, another provider was wanted now.
    const channel = last === undefined ? await waitForProvider(untried, options) : selectProvider(untried);
    if (!channel) break;
    tried.add(channel);
    const outcome = await channel.send(email, options);
    options.onOutcome?.(channel.name, outcome);
    last = { provider: channel.name, outcome };
    if (!worthFailingOver(outcome)) break;
  }
  if (last) return { kind: 'sent', ...last };
  return { kind: 'unavailable', retryInMs: msUntilAnyProvider(channels) };
}

async function waitForProvider(channels: readonly ProviderChannel[], options: FailoverOptions): Promise<ProviderChannel | undefined> {
  const sleep = options.sleep ?? realSleep;
  const deadline = performance.now() + options.providerWaitMs;
  for (;;) {
    options.signal.throwIfAborted();
    const channel = selectProvider(channels);
    if (channel) return channel;
    const leftMs = deadline - performance.now();
    if (leftMs <= 0) return undefined;
    const untilProbeMs = msUntilAnyProvider(channels);
    await sleep(Math.min(leftMs, Math.max(PROVIDER_POLL_MS, Math.min(untilProbeMs, MAX_PROVIDER_POLL_MS))), options.signal);
  }
}
