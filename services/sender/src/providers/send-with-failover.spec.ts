import type { ComposedEmail, DeliveryOutcome, OutgoingEmail, SmtpConnectResult, SmtpSession } from '@mailroom/mailer';
import { DEFAULT_SMTP_POOL } from '@mailroom/mailer';
import { InMemoryLeaseStore } from '@mailroom/rate-limit';
import { ManualClock } from '@mailroom/testing';
import type { ProviderConfig } from '../config/provider.config';
import { buildProviderChannel } from './build-provider-channel';
import type { MailTransport, ProviderChannel } from './provider-channel';
import { TokenWaitTimeoutError } from '../rate-limits/rate-limit-wait.errors';
import { sendWithFailover, type FailoverOptions } from './send-with-failover';

const accepted: DeliveryOutcome = { kind: 'accepted', code: 250, response: '250 OK' };
const refused: DeliveryOutcome = { kind: 'transient', reason: 'ESOCKET: connect ECONNREFUSED', command: 'CONN' };
const throttled: DeliveryOutcome = { kind: 'transient', code: 454, reason: '454 Throttling failure', command: 'DATA' };
const greylisted: DeliveryOutcome = { kind: 'transient', code: 451, reason: '451 4.7.1 Greylisted', command: 'RCPT TO' };
const noSuchUser: DeliveryOutcome = { kind: 'permanent', code: 550, reason: '550 no such user', hardBounce: true, command: 'RCPT TO' };
const noFinalReply: DeliveryOutcome = { kind: 'ambiguous', reason: 'no reply to the end of DATA in time: the message may have been delivered', command: 'DATA' };

/**
 * A transport that answers what the test says, and counts SMTP attempts. A refused connection is
 * answered at connect time (as the real pool does); everything else by the transaction.
 */
class ScriptedTransport implements MailTransport {
  calls = 0;
  constructor(public answer: DeliveryOutcome) {}
  compose(email: OutgoingEmail): Promise<ComposedEmail> {
    return Promise.resolve({ envelope: { from: email.from, to: [email.to.email] }, raw: Buffer.from('x') });
  }
  connect(): Promise<SmtpConnectResult> {
    if (this.answer.kind === 'transient' && this.answer.command === 'CONN') {
      this.calls += 1;
      return Promise.resolve({ ok: false, outcome: this.answer });
    }
    return Promise.resolve({ ok: true, session: this.session() });
  }
  /** Like the real pool: an idle connection is at hand unless connecting is what fails. */
  tryConnect(): SmtpSession | undefined {
    return this.answer.kind === 'transient' && this.answer.command === 'CONN' ? undefined : this.session();
  }
  private session(): SmtpSession {
    return {
      send: () => {
        this.calls += 1;
        return Promise.resolve(this.answer);
      },
      release: () => undefined,
    };
  }
  close(): void {}
}

const email: OutgoingEmail = { from: 'news@acme.example', to: { email: 'reader@example.org' }, subject: 'Hi', text: 'Hello' };

function setup(specs: Array<Partial<ProviderConfig> & { name: string; answer: DeliveryOutcome }>) {
  const clock = new ManualClock(1_000_000);
  const transports = new Map<string, ScriptedTransport>();
  const stores = new Map<string, InMemoryLeaseStore>();
  const channels = specs.map(({ answer, ...spec }) =>
    buildProviderChannel(
      {
        url: 'smtp://127.0.0.1:25',
        maskedUrl: 'smtp://127.0.0.1:25',
        priority: 0,
        pool: DEFAULT_SMTP_POOL,
        breaker: { failureThreshold: 3, cooldownMs: 10_000 },
        ...spec,
      },
      {
        clock,
        sharedBucket: (name) => stores.get(name) ?? stores.set(name, new InMemoryLeaseStore()).get(name)!,
        transport: (config) => transports.set(config.name, new ScriptedTransport(answer)).get(config.name)!,
      },
    ),
  );
  const seen: Array<[string, DeliveryOutcome['kind']]> = [];
  const options = (extra: Partial<FailoverOptions> = {}): FailoverOptions => ({
    signal: new AbortController().signal,
    waitLimitMs: () => 1_000,
    providerWaitMs: 0,
    onOutcome: (provider, outcome) => seen.push([provider, outcome.kind]),
    ...extra,
  });
  const send = (extra?: Partial<FailoverOptions>) => sendWithFailover(channels, email, options(extra));
  const channel = (name: string): ProviderChannel => channels.find((c) => c.name === name)!;
  return { clock, channels, channel, transports, seen, send, t: (name: string) => transports.get(name)! };
}

describe('sendWithFailover', () => {
  it('sends through the preferred provider (lowest priority, then list order) while it is healthy', async () => {
    const { send, t } = setup([
      { name: 'backup', priority: 1, answer: accepted },
      { name: 'main', priority: 0, answer: accepted },
    ]);
    for (let i = 0; i < 5; i++) await expect(send()).resolves.toEqual({ kind: 'sent', provider: 'main', outcome: accepted });
    expect([t('main').calls, t('backup').calls]).toEqual([5, 0]);
  });

  it('fails over within the same attempt when the provider is unreachable, and opens its breaker after the threshold', async () => {
    const { send, t, seen, channel } = setup([
      { name: 'a', answer: refused },
      { name: 'b', answer: accepted },
    ]);
    await expect(send()).resolves.toEqual({ kind: 'sent', provider: 'b', outcome: accepted });
    expect(seen).toEqual([
      ['a', 'transient'],
      ['b', 'accepted'],
    ]);
    await send();
    await send();
    expect(channel('a').breaker.state).toBe('open');
    expect(channel('a').breaker.stateCode).toBe(2);
    // Open: traffic goes straight to b, a is not even tried.
    await send();
    await send();
    expect([t('a').calls, t('b').calls]).toEqual([3, 5]);
  });

  it('probes the preferred provider after the cooldown and moves traffic back when it answers', async () => {
    const { send, t, clock, channel } = setup([
      { name: 'a', answer: refused },
      { name: 'b', answer: accepted },
    ]);
    for (let i = 0; i < 3; i++) await send();
    expect(channel('a').breaker.state).toBe('open');
    clock.advance(10_000);
    expect(channel('a').breaker.state).toBe('half-open');
    // Still down: the probe fails, the recipient goes to b anyway, a re-opens.
    await expect(send()).resolves.toMatchObject({ provider: 'b' });
    expect(channel('a').breaker.state).toBe('open');
    clock.advance(10_000);
    t('a').answer = accepted;
    await expect(send()).resolves.toMatchObject({ provider: 'a' });
    expect(channel('a').breaker.state).toBe('closed');
    await expect(send()).resolves.toMatchObject({ provider: 'a' });
    expect(t('a').calls).toBe(6);
  });

  it('slows a throttling provider down (AIMD) and fails over for this recipient', async () => {
    const { send, channel, clock } = setup([
      { name: 'a', ratePerSecond: 100, burst: 40, answer: throttled },
      { name: 'b', ratePerSecond: 100, burst: 40, answer: accepted },
    ]);
    await expect(send()).resolves.toMatchObject({ provider: 'b' });
    expect(channel('a').limits.effectiveRatePerSecond).toBe(50);
    expect(channel('a').breaker.consecutiveFailures).toBe(1);
    // The decrease has a cooldown: a second throttle right away answers sends made at the old rate.
    await send();
    expect(channel('a').limits.effectiveRatePerSecond).toBe(50);
    clock.advance(1_000);
    await send();
    expect(channel('a').limits.effectiveRatePerSecond).toBe(25);
    expect(channel('b').limits.effectiveRatePerSecond).toBe(100);
  });

  it('recovers the rate additively once the provider accepts again', async () => {
    const { send, channel, clock, t } = setup([{ name: 'a', ratePerSecond: 100, burst: 40, answer: throttled }]);
    await send();
    expect(channel('a').limits.effectiveRatePerSecond).toBe(50);
    t('a').answer = accepted;
    for (let i = 0; i < 3; i++) {
      clock.advance(1_000);
      await send();
    }
    expect(channel('a').limits.effectiveRatePerSecond).toBe(65);
  });

  it('does not fail over or count against the breaker when the answer is about the recipient', async () => {
    const { send, t, channel } = setup([
      { name: 'a', answer: greylisted },
      { name: 'b', answer: accepted },
    ]);
    for (let i = 0; i < 5; i++) await expect(send()).resolves.toEqual({ kind: 'sent', provider: 'a', outcome: greylisted });
    t('a').answer = noSuchUser;
    await expect(send()).resolves.toEqual({ kind: 'sent', provider: 'a', outcome: noSuchUser });
    expect(channel('a').breaker.state).toBe('closed');
    expect(t('b').calls).toBe(0);
  });

  it('never sends again through another provider when the reply to the end of DATA never came (perhaps delivered)', async () => {
    const { send, t, channel } = setup([
      { name: 'a', answer: noFinalReply },
      { name: 'b', answer: accepted },
    ]);
    await expect(send()).resolves.toEqual({ kind: 'sent', provider: 'a', outcome: noFinalReply });
    expect(t('b').calls).toBe(0);
    // A provider that does not answer is a failure for its breaker.
    expect(channel('a').breaker.consecutiveFailures).toBe(1);
  });

  it('reports the last failure when every provider fails at its end', async () => {
    const { send } = setup([
      { name: 'a', answer: refused },
      { name: 'b', answer: throttled },
    ]);
    await expect(send()).resolves.toEqual({ kind: 'sent', provider: 'b', outcome: throttled });
  });

  it('with every breaker open, waits for a probe slot up to providerWaitMs, else reports unavailable', async () => {
    const { send, clock } = setup([{ name: 'a', answer: refused }]);
    for (let i = 0; i < 3; i++) await send();
    await expect(send({ providerWaitMs: 0 })).resolves.toEqual({ kind: 'unavailable', retryInMs: 10_000 });
    // A sleep that moves the breakers' clock: the cooldown ends while the attempt waits.
    const sleep = (ms: number) => {
      clock.advance(ms);
      return Promise.resolve();
    };
    await expect(send({ providerWaitMs: 60_000, sleep })).resolves.toMatchObject({ kind: 'sent', provider: 'a' });
  });

  it('sends at once while a connection and a token are at hand, and never past the bucket when not', async () => {
    const { send, t } = setup([{ name: 'a', ratePerSecond: 100, burst: 40, answer: accepted }]);
    const waits: number[] = [];
    let refusal: unknown;
    // The manual clock does not move: no token is ever minted after the burst.
    for (let i = 0; i < 100 && refusal === undefined; i++) {
      await send({ waitLimitMs: () => 20, onWait: (s) => waits.push(s) }).catch((error: unknown) => (refusal = error));
    }
    expect(refusal).toBeInstanceOf(TokenWaitTimeoutError);
    expect(t('a').calls).toBeGreaterThan(1);
    expect(t('a').calls).toBeLessThanOrEqual(40);
    // Tokens leased in a chunk are spent without waiting.
    expect(waits.filter((s) => s === 0).length).toBeGreaterThan(0);
  });

  it('starts nothing once its signal is aborted (shutdown)', async () => {
    const { send, t } = setup([{ name: 'a', answer: accepted }]);
    const stop = new AbortController();
    stop.abort(new Error('stopping'));
    await expect(send({ signal: stop.signal })).rejects.toThrow('stopping');
    expect(t('a').calls).toBe(0);
  });
});
