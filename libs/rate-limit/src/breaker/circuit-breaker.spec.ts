import { RateLimitOptionsError } from '../rate-limit.errors';
import { ManualClock } from '@mailroom/testing';
import { CircuitBreaker, type BreakerTransition } from './circuit-breaker';

function setup(options: { failureThreshold?: number; cooldownMs?: number; halfOpenProbes?: number } = {}) {
  const clock = new ManualClock(0);
  const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 10_000, clock, ...options });
  const transitions: BreakerTransition[] = [];
  breaker.onTransition((t) => transitions.push(t));
  return { clock, breaker, transitions };
}

type Step = 'ok' | 'fail' | `wait ${number}` | 'acquire';

/** Runs steps and returns the state after each (acquire steps record whether a request may go). */
function run(breaker: CircuitBreaker, clock: ManualClock, steps: readonly Step[]): string[] {
  return steps.map((step) => {
    if (step === 'ok') breaker.recordSuccess();
    else if (step === 'fail') breaker.recordFailure();
    else if (step === 'acquire') return `${breaker.state}:${breaker.tryAcquire() ? 'go' : 'no'}`;
    else clock.advance(Number(step.slice(5)));
    return breaker.state;
  });
}

describe('CircuitBreaker', () => {
  it.each<[string, Step[], string[]]>([
    ['stays closed below the threshold', ['fail', 'fail'], ['closed', 'closed']],
    ['opens at N consecutive failures', ['fail', 'fail', 'fail'], ['closed', 'closed', 'open']],
    ['a success in between resets the count', ['fail', 'fail', 'ok', 'fail', 'fail'], ['closed', 'closed', 'closed', 'closed', 'closed']],
    ['refuses everything while open', ['fail', 'fail', 'fail', 'acquire', 'wait 9999', 'acquire'], ['closed', 'closed', 'open', 'open:no', 'open', 'open:no']],
    ['half-opens after the cooldown and lets one probe through', ['fail', 'fail', 'fail', 'wait 10000', 'acquire', 'acquire'], ['closed', 'closed', 'open', 'half-open', 'half-open:go', 'half-open:no']],
    ['a successful probe closes it', ['fail', 'fail', 'fail', 'wait 10000', 'acquire', 'ok', 'acquire'], ['closed', 'closed', 'open', 'half-open', 'half-open:go', 'closed', 'closed:go']],
    ['a failed probe re-opens it for a full cooldown', ['fail', 'fail', 'fail', 'wait 10000', 'acquire', 'fail', 'wait 9999', 'acquire', 'wait 1'], ['closed', 'closed', 'open', 'half-open', 'half-open:go', 'open', 'open', 'open:no', 'half-open']],
    ['late answers while open change nothing', ['fail', 'fail', 'fail', 'wait 5000', 'fail', 'ok', 'wait 5000'], ['closed', 'closed', 'open', 'open', 'open', 'open', 'half-open']],
    ['a probe that never reports frees its slot after a cooldown', ['fail', 'fail', 'fail', 'wait 10000', 'acquire', 'wait 9999', 'acquire', 'wait 1', 'acquire'], ['closed', 'closed', 'open', 'half-open', 'half-open:go', 'half-open', 'half-open:no', 'half-open', 'half-open:go']],
  ])('%s', (_label, steps, expected) => {
    const { clock, breaker } = setup();
    expect(run(breaker, clock, steps)).toEqual(expected);
  });

  it('reports every transition to listeners, with time and failure count', () => {
    const { clock, breaker, transitions } = setup({ failureThreshold: 2 });
    run(breaker, clock, ['fail', 'fail', 'wait 10000', 'acquire', 'fail', 'wait 10000', 'acquire', 'ok']);
    expect(transitions).toEqual([
      { from: 'closed', to: 'open', atMs: 0, consecutiveFailures: 2 },
      { from: 'open', to: 'half-open', atMs: 10_000, consecutiveFailures: 2 },
      { from: 'half-open', to: 'open', atMs: 10_000, consecutiveFailures: 3 },
      { from: 'open', to: 'half-open', atMs: 20_000, consecutiveFailures: 3 },
      { from: 'half-open', to: 'closed', atMs: 20_000, consecutiveFailures: 0 },
    ]);
    expect(breaker.consecutiveFailures).toBe(0);
  });

  it('stops calling a listener once unsubscribed', () => {
    const { clock, breaker } = setup({ failureThreshold: 1 });
    const seen: string[] = [];
    const unsubscribe = breaker.onTransition((t) => seen.push(t.to));
    breaker.recordFailure();
    unsubscribe();
    clock.advance(10_000);
    expect(breaker.state).toBe('half-open');
    expect(seen).toEqual(['open']);
  });

  it.each<[string, Step[], number]>([
    ['closed', [], 0],
    ['half-open', ['fail', 'fail', 'fail', 'wait 10000'], 1],
    ['open', ['fail', 'fail', 'fail'], 2],
  ])('exposes %s as %d for metrics', (_state, steps, code) => {
    const { clock, breaker } = setup();
    run(breaker, clock, steps);
    expect(breaker.stateCode).toBe(code);
  });

  it('says how long until an open breaker lets a probe through', () => {
    const { clock, breaker } = setup();
    expect(breaker.msUntilProbe()).toBe(0);
    run(breaker, clock, ['fail', 'fail', 'fail', 'wait 4000']);
    expect(breaker.msUntilProbe()).toBe(6_000);
    clock.advance(6_000);
    expect(breaker.msUntilProbe()).toBe(0);
  });

  it('allows several probes when configured', () => {
    const { clock, breaker } = setup({ halfOpenProbes: 2 });
    expect(run(breaker, clock, ['fail', 'fail', 'fail', 'wait 10000', 'acquire', 'acquire', 'acquire'])).toEqual([
      'closed', 'closed', 'open', 'half-open', 'half-open:go', 'half-open:go', 'half-open:no',
    ]);
  });

  it.each([
    [{ failureThreshold: 0, cooldownMs: 1 }],
    [{ failureThreshold: 1, cooldownMs: 0 }],
    [{ failureThreshold: 1, cooldownMs: 1, halfOpenProbes: 0 }],
  ])('rejects %p', (options) => {
    expect(() => new CircuitBreaker(options)).toThrow(RateLimitOptionsError);
  });
});
