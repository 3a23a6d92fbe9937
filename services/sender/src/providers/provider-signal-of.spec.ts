import type { DeliveryOutcome } from '@mailroom/mailer';
import { providerSignalOf, worthFailingOver } from './provider-signal-of';

describe('providerSignalOf', () => {
  it.each<[string, DeliveryOutcome, string]>([
    ['accepted', { kind: 'accepted', code: 250, response: '250 OK' }, 'accepted'],
    ['550 at RCPT', { kind: 'permanent', code: 550, reason: '550', hardBounce: true, command: 'RCPT TO' }, 'rejected'],
    ['connection refused', { kind: 'transient', reason: 'ECONNREFUSED', command: 'CONN' }, 'unreachable'],
    ['timeout without a command', { kind: 'transient', reason: 'ETIMEDOUT' }, 'unreachable'],
    ['535 bad credentials', { kind: 'transient', code: 535, reason: '535', command: 'AUTH PLAIN' }, 'unreachable'],
    ['454 throttling at DATA (SES)', { kind: 'transient', code: 454, reason: '454 Throttling failure', command: 'DATA' }, 'throttled'],
    ['451 at MAIL FROM', { kind: 'transient', code: 451, reason: '451', command: 'MAIL FROM' }, 'throttled'],
    ['421 at greeting', { kind: 'transient', code: 421, reason: '421 try later', command: 'CONN' }, 'throttled'],
    ['421 at RCPT (closing the channel)', { kind: 'transient', code: 421, reason: '421', command: 'RCPT TO' }, 'throttled'],
    ['451 greylisting at RCPT', { kind: 'transient', code: 451, reason: '451 4.7.1 Greylisted', command: 'RCPT TO' }, 'rejected'],
    ['450 4.2.1 recipient rate at RCPT', { kind: 'transient', code: 450, reason: '450 4.2.1', command: 'RCPT TO' }, 'rejected'],
    ['452 mailbox full at RCPT', { kind: 'transient', code: 452, reason: '452', command: 'RCPT TO' }, 'rejected'],
  ])('%s → %s', (_label, outcome, signal) => {
    expect(providerSignalOf(outcome)).toBe(signal);
  });

  it.each<[string, DeliveryOutcome, boolean]>([
    ['accepted', { kind: 'accepted', code: 250, response: '250 OK' }, false],
    ['550 at RCPT', { kind: 'permanent', code: 550, reason: '550', hardBounce: true, command: 'RCPT TO' }, false],
    ['greylisting at RCPT', { kind: 'transient', code: 451, reason: '451 4.7.1 Greylisted', command: 'RCPT TO' }, false],
    ['connection refused', { kind: 'transient', reason: 'ECONNREFUSED', command: 'CONN' }, true],
    ['454 throttling at DATA', { kind: 'transient', code: 454, reason: '454 Throttling failure', command: 'DATA' }, true],
    // Perhaps delivered by the first provider: another one would make a duplicate.
    ['no reply to the end of DATA', { kind: 'ambiguous', reason: 'no reply', command: 'DATA' }, false],
  ])('fails over after %s: %p', (_label, outcome, failover) => {
    expect(worthFailingOver(outcome)).toBe(failover);
  });

  it('counts no reply to the end of DATA against the provider', () => {
    expect(providerSignalOf({ kind: 'ambiguous', reason: 'no reply', command: 'DATA' })).toBe('unreachable');
  });
});
