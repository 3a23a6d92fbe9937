import { AimdController } from '../aimd/aimd-controller';
import { TokenBucket } from '../bucket/token-bucket';
import { CircuitBreaker } from '../breaker/circuit-breaker';
import { ManualClock } from '@mailroom/testing';
import { ProviderLimiter } from './provider-limiter';
import type { ProviderSignal } from './provider-signal';

function setup(withAimd = true) {
  const clock = new ManualClock(0);
  const provider = new ProviderLimiter({
    name: 'ses',
    priority: 1,
    limiter: new TokenBucket({ ratePerSecond: 40, burst: 10, clock, sleep: clock.sleep }),
    breaker: new CircuitBreaker({ failureThreshold: 3, cooldownMs: 10_000, clock }),
    ...(withAimd ? { aimd: new AimdController({ maxRatePerSecond: 40, clock }) } : {}),
  });
  return { clock, provider };
}

describe('ProviderLimiter', () => {
  it.each<[string, ProviderSignal[], { breaker: string; rate: number }]>([
    ['accepted keeps it closed at full rate', ['accepted', 'accepted'], { breaker: 'closed', rate: 40 }],
    ['a throttle slows it down', ['throttled'], { breaker: 'closed', rate: 20 }],
    ['throttles in a row open the breaker too', ['throttled', 'throttled', 'throttled'], { breaker: 'open', rate: 20 }],
    ['unreachable opens the breaker without touching the rate', ['unreachable', 'unreachable', 'unreachable'], { breaker: 'open', rate: 40 }],
    ['a rejection proves it is reachable', ['unreachable', 'unreachable', 'rejected', 'unreachable'], { breaker: 'closed', rate: 40 }],
  ])('%s', (_label, signals, expected) => {
    const { provider } = setup();
    signals.forEach((signal) => provider.record(signal));
    expect({ breaker: provider.breaker.state, rate: provider.effectiveRatePerSecond }).toEqual(expected);
  });

  it('recovers the rate with successes after a quiet interval', () => {
    const { clock, provider } = setup();
    provider.record('throttled');
    clock.advance(1_000);
    provider.record('accepted');
    expect(provider.effectiveRatePerSecond).toBe(22);
    expect(provider.limiter.ratePerSecond).toBe(22);
  });

  it('works without AIMD (a provider without adaptive throttling)', () => {
    const { provider } = setup(false);
    provider.record('throttled');
    expect(provider.effectiveRatePerSecond).toBe(40);
    expect(provider.breaker.consecutiveFailures).toBe(1);
    expect(provider.priority).toBe(1);
  });
});
