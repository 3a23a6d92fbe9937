import { providerSignal, type SmtpOutcomeLike } from './provider-signal';

describe('providerSignal', () => {
  it.each<[string, SmtpOutcomeLike, string]>([
    ['250 accepted', { kind: 'accepted', code: 250 }, 'accepted'],
    ['421 try again later', { kind: 'transient', code: 421 }, 'throttled'],
    ['450 slow down', { kind: 'transient', code: 450 }, 'throttled'],
    ['451 4.7.500 server busy', { kind: 'transient', code: 451 }, 'throttled'],
    ['454 throttling failure (SES)', { kind: 'transient', code: 454 }, 'throttled'],
    ['452 mailbox full', { kind: 'transient', code: 452 }, 'rejected'],
    ['connection refused (no reply code)', { kind: 'transient' }, 'unreachable'],
    ['535 bad credentials (transient for the recipient)', { kind: 'transient', code: 535 }, 'unreachable'],
    ['550 no such user', { kind: 'permanent', code: 550 }, 'rejected'],
    ['554 content refused', { kind: 'permanent', code: 554 }, 'rejected'],
  ])('%s → %s', (_label, outcome, signal) => {
    expect(providerSignal(outcome)).toBe(signal);
  });

  it('takes the throttling codes from configuration', () => {
    expect(providerSignal({ kind: 'transient', code: 452 }, new Set([452]))).toBe('throttled');
    expect(providerSignal({ kind: 'transient', code: 421 }, new Set([452]))).toBe('rejected');
  });
});
