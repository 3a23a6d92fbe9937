import { CircuitBreaker } from '../breaker/circuit-breaker';
import { ManualClock } from '@mailroom/testing';
import { msUntilAnyProvider, selectProvider } from './select-provider';

function setup(priorities: Record<string, number>) {
  const clock = new ManualClock(0);
  const providers = Object.entries(priorities).map(([name, priority]) => ({
    name,
    priority,
    breaker: new CircuitBreaker({ failureThreshold: 2, cooldownMs: 30_000, clock }),
  }));
  const byName = (name: string) => providers.find((p) => p.name === name) as (typeof providers)[number];
  const open = (name: string) => {
    byName(name).breaker.recordFailure();
    byName(name).breaker.recordFailure();
  };
  const pick = () => selectProvider(providers)?.name;
  return { clock, providers, byName, open, pick };
}

describe('selectProvider', () => {
  it.each<[string, Record<string, number>, string[], string | undefined]>([
    ['the lowest priority wins', { relay: 2, ses: 0, mailgun: 1 }, [], 'ses'],
    ['ties go to the first listed', { a: 1, b: 1 }, [], 'a'],
    ['fails over past an open preferred provider', { ses: 0, mailgun: 1, relay: 2 }, ['ses'], 'mailgun'],
    ['and past the next one too', { ses: 0, mailgun: 1, relay: 2 }, ['ses', 'mailgun'], 'relay'],
    ['none when every breaker is open', { ses: 0, mailgun: 1 }, ['ses', 'mailgun'], undefined],
    ['none when there are no providers', {}, [], undefined],
  ])('%s', (_label, priorities, opened, expected) => {
    const { open, pick } = setup(priorities);
    opened.forEach(open);
    expect(pick()).toBe(expected);
  });

  it('sends one probe to the preferred provider after its cooldown, then comes back to it when it closes', () => {
    const { clock, byName, open, pick } = setup({ a: 0, b: 1 });
    open('a');
    expect([pick(), pick()]).toEqual(['b', 'b']);
    clock.advance(30_000);
    expect(pick()).toBe('a'); // the probe
    expect(pick()).toBe('b'); // a's probe is in flight: the rest still fails over
    byName('a').breaker.recordSuccess();
    expect([pick(), pick()]).toEqual(['a', 'a']);
  });

  it('keeps failing over when the probe fails', () => {
    const { clock, byName, open, pick } = setup({ a: 0, b: 1 });
    open('a');
    clock.advance(30_000);
    expect(pick()).toBe('a');
    byName('a').breaker.recordFailure();
    expect(byName('a').breaker.state).toBe('open');
    expect(pick()).toBe('b');
  });

  it('says how long until a provider can take a request', () => {
    const { clock, providers, open } = setup({ a: 0, b: 1 });
    expect(msUntilAnyProvider(providers)).toBe(0);
    open('a');
    clock.advance(10_000);
    open('b');
    expect(msUntilAnyProvider(providers)).toBe(20_000);
    expect(msUntilAnyProvider([])).toBe(Number.POSITIVE_INFINITY);
  });
});
