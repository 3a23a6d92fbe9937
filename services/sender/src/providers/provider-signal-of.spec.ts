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

  it('fails over on unreachable and throttled only', () => {
    expect(['accepted', 'rejected', 'throttled', 'unreachable'].filter((s) => worthFailingOver(s as never))).toEqual([
      'throttled',
      'unreachable',
    ]);
  });
});
