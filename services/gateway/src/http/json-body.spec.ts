import { AuthFailureThrottle } from './auth-failure-throttle';
import { jsonNestedDeeperThan, parseJsonBody } from './json-body';

describe('JSON nesting', () => {
  it.each([
    ['{}', 1, false],
    ['{"a":[{"b":1}]}', 3, false],
    ['{"a":[{"b":1}]}', 2, true],
    ['{"a":"[[[[[[[[[["}', 1, false],
    ['{"a":"\\"[[[[[["}', 1, false],
  ])('%s deeper than %i: %s', (text, max, deeper) => {
    expect(jsonNestedDeeperThan(text, max)).toBe(deeper);
  });

  it('refuses a body nested 10,000 deep with 400 naming the limit, without parsing it', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    expect(() => parseJsonBody(`{"a":${deep}}`, 32)).toThrow('more than 32 deep (JSON_MAX_DEPTH)');
  });

  it.each(['"hello"', '42', 'nul', '{"a":'])('refuses %j as not valid JSON', (text) => {
    expect(() => parseJsonBody(text, 32)).toThrow('not valid JSON');
  });
});

describe('AuthFailureThrottle', () => {
  it('lets an address fail perMinute times, then asks it to wait for the rest of its minute', () => {
    let now = 0;
    const throttle = new AuthFailureThrottle(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSeconds('1.2.3.4')).toBe(0);
      throttle.fail('1.2.3.4');
    }
    expect(throttle.retryAfterSeconds('1.2.3.4')).toBe(60);
    expect(throttle.retryAfterSeconds('5.6.7.8')).toBe(0);
    now = 45_500;
    expect(throttle.retryAfterSeconds('1.2.3.4')).toBe(15);
    now = 60_000;
    expect(throttle.retryAfterSeconds('1.2.3.4')).toBe(0);
  });

  it('stays bounded in addresses', () => {
    const throttle = new AuthFailureThrottle(3, () => 0, 100);
    for (let i = 0; i < 1000; i++) throttle.fail(`10.0.${i >> 8}.${i & 255}`);
    expect(throttle.size).toBeLessThanOrEqual(100);
  });

  it('is off at 0', () => {
    const throttle = new AuthFailureThrottle(0);
    for (let i = 0; i < 10; i++) throttle.fail('a');
    expect(throttle.retryAfterSeconds('a')).toBe(0);
  });
});
