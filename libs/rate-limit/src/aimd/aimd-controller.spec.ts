import { RateLimitOptionsError } from '../rate-limit.errors';
import { ManualClock } from '@mailroom/testing';
import { AimdController, type AimdOptions } from './aimd-controller';

type Step = 'throttle' | 'ok' | `wait ${number}`;

/** Runs steps and returns the rate after each. */
function run(options: Omit<AimdOptions, 'clock'>, steps: readonly Step[]): number[] {
  const clock = new ManualClock(0);
  const aimd = new AimdController({ ...options, clock });
  return steps.map((step) => {
    if (step === 'throttle') aimd.recordThrottle();
    else if (step === 'ok') aimd.recordSuccess();
    else clock.advance(Number(step.slice(5)));
    return aimd.ratePerSecond;
  });
}

const base = { maxRatePerSecond: 100, minRatePerSecond: 10, decreaseFactor: 0.5, increasePerSecond: 10, recoveryIntervalMs: 1_000, decreaseCooldownMs: 1_000 };

describe('AimdController', () => {
  it.each<[string, Step[], number[]]>([
    ['starts at the configured rate; success cannot raise it', ['ok', 'wait 5000', 'ok'], [100, 100, 100]],
    ['a throttle halves the rate', ['throttle'], [50]],
    ['throttles within the cooldown count once', ['throttle', 'throttle', 'wait 999', 'throttle'], [50, 50, 50, 50]],
    ['a throttle after the cooldown halves again', ['throttle', 'wait 1000', 'throttle', 'wait 1000', 'throttle'], [50, 50, 25, 25, 12.5]],
    ['never below the floor', ['throttle', 'wait 1000', 'throttle', 'wait 1000', 'throttle', 'wait 1000', 'throttle'], [50, 50, 25, 25, 12.5, 12.5, 10]],
    ['recovers one step per quiet interval of successes', ['throttle', 'wait 999', 'ok', 'wait 1', 'ok', 'ok', 'wait 1000', 'ok'], [50, 50, 50, 50, 60, 60, 60, 70]],
    ['a long quiet spell still recovers one step at a time', ['throttle', 'wait 60000', 'ok', 'ok', 'wait 1000', 'ok'], [50, 50, 60, 60, 60, 70]],
    ['an ignored throttle still delays recovery', ['throttle', 'wait 900', 'throttle', 'wait 100', 'ok', 'wait 900', 'ok'], [50, 50, 50, 50, 50, 50, 60]],
    ['recovery stops at the configured rate', ['throttle', 'wait 1000', 'ok', 'wait 1000', 'ok', 'wait 1000', 'ok', 'wait 1000', 'ok', 'wait 1000', 'ok', 'wait 1000', 'ok'], [50, 50, 60, 60, 70, 70, 80, 80, 90, 90, 100, 100, 100]],
  ])('%s', (_label, steps, expected) => {
    expect(run(base, steps)).toEqual(expected);
  });

  it('reports whether a signal changed the rate', () => {
    const clock = new ManualClock(0);
    const aimd = new AimdController({ ...base, clock });
    expect(aimd.recordThrottle()).toBe(true);
    expect(aimd.recordThrottle()).toBe(false);
    clock.advance(1_000);
    expect(aimd.recordSuccess()).toBe(true);
    expect(aimd.recordSuccess()).toBe(false);
  });

  it('defaults: halve, floor and step at a twentieth of the maximum, 1 s intervals', () => {
    expect(run({ maxRatePerSecond: 40 }, ['throttle', 'wait 1000', 'ok', 'wait 1000', 'throttle'])).toEqual([20, 20, 22, 22, 11]);
  });

  it.each<[string, Omit<AimdOptions, 'clock'>]>([
    ['a zero maximum', { maxRatePerSecond: 0 }],
    ['a floor above the maximum', { maxRatePerSecond: 10, minRatePerSecond: 20 }],
    ['a factor of 1', { maxRatePerSecond: 10, decreaseFactor: 1 }],
    ['a zero step', { maxRatePerSecond: 10, increasePerSecond: 0 }],
  ])('rejects %s', (_label, options) => {
    expect(() => new AimdController(options)).toThrow(RateLimitOptionsError);
  });
});
