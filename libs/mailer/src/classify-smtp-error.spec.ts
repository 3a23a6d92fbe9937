import { ambiguousOutcome, classifySmtpError } from './classify-smtp-error';

const smtpError = (fields: Record<string, unknown>) => Object.assign(new Error(typeof fields['message'] === 'string' ? fields['message'] : 'x'), fields);

describe('classifySmtpError', () => {
  it.each([
    ['421 at RCPT (throttled)', { code: 'EENVELOPE', responseCode: 421, response: '421 4.7.0 Try later', command: 'RCPT TO' }, 'transient'],
    ['450 mailbox busy', { code: 'EENVELOPE', responseCode: 450, response: '450 busy', command: 'RCPT TO' }, 'transient'],
    ['451 local error', { code: 'EMESSAGE', responseCode: 451, response: '451 error', command: 'DATA' }, 'transient'],
    ['452 storage', { code: 'EENVELOPE', responseCode: 452, response: '452 full', command: 'RCPT TO' }, 'transient'],
    ['connection refused', { code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:25', command: 'CONN' }, 'transient'],
    ['connection reset', { code: 'ECONNECTION', message: 'Connection closed unexpectedly', command: 'CONN' }, 'transient'],
    ['timeout', { code: 'ETIMEDOUT', message: 'Timeout', command: 'CONN' }, 'transient'],
    ['TLS hiccup', { code: 'ETLS', message: 'Error initiating TLS', command: 'STARTTLS' }, 'transient'],
    ['bad credentials (our problem, not the reader’s)', { code: 'EAUTH', responseCode: 535, response: '535 bad auth', command: 'AUTH PLAIN' }, 'transient'],
    ['550 no such user', { code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 no such user', command: 'RCPT TO' }, 'permanent'],
    ['553 bad mailbox', { code: 'EENVELOPE', responseCode: 553, response: '553 bad', command: 'RCPT TO' }, 'permanent'],
    ['554 rejected content', { code: 'EMESSAGE', responseCode: 554, response: '554 spam', command: 'DATA' }, 'permanent'],
  ])('%s → %s', (_label, fields, kind) => {
    expect(classifySmtpError(smtpError(fields)).kind).toBe(kind);
  });

  it('records the reply code and text as the reason', () => {
    const outcome = classifySmtpError(
      smtpError({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 <x@y.org>: no such user', command: 'RCPT TO' }),
    );
    expect(outcome).toEqual({
      kind: 'permanent',
      code: 550,
      reason: '550 5.1.1 <x@y.org>: no such user',
      hardBounce: true,
      command: 'RCPT TO',
    });
  });

  it('keeps the failed command, so callers can tell a refused recipient from a refused message', () => {
    const rcpt = classifySmtpError(smtpError({ code: 'EENVELOPE', responseCode: 451, response: '451 later', command: 'RCPT TO' }));
    const data = classifySmtpError(smtpError({ code: 'EMESSAGE', responseCode: 454, response: '454 Throttling failure', command: 'DATA' }));
    const refused = classifySmtpError(smtpError({ code: 'ESOCKET', message: 'connect ECONNREFUSED' }));
    expect(rcpt).toMatchObject({ kind: 'transient', code: 451, command: 'RCPT TO' });
    expect(data).toMatchObject({ kind: 'transient', code: 454, command: 'DATA' });
    expect(refused).not.toHaveProperty('command');
  });

  it('calls only a refused recipient a hard bounce, not a refused message or sender', () => {
    const data = classifySmtpError(smtpError({ code: 'EMESSAGE', responseCode: 554, response: '554 no', command: 'DATA' }));
    const from = classifySmtpError(smtpError({ code: 'EENVELOPE', responseCode: 550, response: '550 no', command: 'MAIL FROM' }));
    expect(data.kind === 'permanent' && data.hardBounce).toBe(false);
    expect(from.kind === 'permanent' && from.hardBounce).toBe(false);
  });

  it('treats something that is not an error at all as transient', () => {
    expect(classifySmtpError('weird').kind).toBe('transient');
  });
});

describe('ambiguousOutcome (no reply to the end of DATA)', () => {
  it.each([
    ['a timeout', { code: 'ETIMEDOUT', message: 'Timeout', command: 'CONN' }, 'no reply to the end of DATA in time (ETIMEDOUT: Timeout)'],
    [
      'a dropped connection',
      { code: 'ECONNECTION', message: 'Connection closed unexpectedly', command: 'CONN' },
      'the connection was lost before the reply to the end of DATA (ECONNECTION: Connection closed unexpectedly)',
    ],
  ])('says what happened after %s, and that the message may have been delivered', (_label, fields, what) => {
    expect(ambiguousOutcome(smtpError(fields))).toEqual({
      kind: 'ambiguous',
      reason: `${what}: the message may have been delivered, so it was not sent again (to avoid a duplicate)`,
      command: 'DATA',
    });
  });
});
