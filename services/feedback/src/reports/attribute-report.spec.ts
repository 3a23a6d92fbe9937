import { addressHash, bounceAddress, FeedbackTokens } from '@mailroom/contracts';
import { attributeReport } from './attribute-report';
import { readReport } from './read-report';
import { AUTO_REPLY_SAMPLE, arfSample, dsnSample, freeTextBounceSample } from './report-samples';

const tokens = new FeedbackTokens('a-test-bounce-secret-of-32-characters!!');
const other = new FeedbackTokens('another-bounce-secret-of-32-characters!!');
const newsletterId = '5a1f6f0e-3c1b-4f4e-9a53-0f2a4c5d6e7f';
const email = 'Reader3@example.org';
const token = tokens.sign({ newsletterId, batchIndex: 2, addressHashPrefix: addressHash(email).slice(0, 8) })!;
const bounceTo = bounceAddress(token, 'bounces.localhost');

async function attribute(message: string, to: readonly string[] = [bounceTo], keys = tokens) {
  return attributeReport(await readReport(Buffer.from(message)), to, keys);
}

describe('attributeReport (reports as mail servers send them)', () => {
  it('traces a DSN mailed to a bounce address to its newsletter, batch and recipient: a hard bounce with its status', async () => {
    expect(await attribute(dsnSample({ recipient: email }))).toEqual({
      ok: true,
      feedback: {
        kind: 'bounce',
        bounceType: 'hard',
        newsletterId,
        batchIndex: 2,
        email,
        status: '5.1.1',
        detail: `550 5.1.1 <${email}>: Recipient address rejected: User unknown`,
      },
    });
  });

  it('reads a 4.x.x or "delayed" DSN as a soft bounce, and a "delivered" one as no failure', async () => {
    expect(await attribute(dsnSample({ recipient: email, status: '4.2.2', action: 'delayed' }))).toMatchObject({ ok: true, feedback: { bounceType: 'soft', status: '4.2.2' } });
    expect(await attribute(dsnSample({ recipient: email, status: '2.0.0', action: 'delivered' }))).toEqual({ ok: false, reason: 'not_a_failure' });
  });

  it('matches the recipient whatever case the reporting server gave the domain', async () => {
    expect(await attribute(dsnSample({ recipient: 'Reader3@EXAMPLE.ORG' }))).toMatchObject({ ok: true, feedback: { email } });
  });

  it('traces an ARF complaint sent to any address of the domain by the Message-ID of the enclosed original', async () => {
    const report = arfSample({ recipient: email, messageId: `<${token}@example.org>` });
    expect(await attribute(report, ['fbl@bounces.localhost'])).toEqual({
      ok: true,
      feedback: { kind: 'complaint', newsletterId, batchIndex: 2, email, detail: 'feedback-type abuse' },
    });
    expect(await attribute(arfSample({ recipient: email, messageId: `<${token}@example.org>`, feedbackType: 'not-spam' }), ['fbl@bounces.localhost'])).toEqual({ ok: false, reason: 'not_a_failure' });
  });

  it('reads a free-text bounce from a mailer daemon by its status code and the enclosed Message-ID', async () => {
    const report = freeTextBounceSample({ recipient: email, messageId: `<${token}@example.org>` });
    expect(await attribute(report, ['bounce@bounces.localhost'])).toMatchObject({ ok: true, feedback: { kind: 'bounce', bounceType: 'hard', status: '5.1.1', email } });
  });

  it('changes nothing for an auto-reply, a report without our token, a forged token, or an address that is not the signed one', async () => {
    expect(await attribute(AUTO_REPLY_SAMPLE)).toEqual({ ok: false, reason: 'auto_reply' });
    expect(await attribute(dsnSample({ recipient: email }), ['postmaster@bounces.localhost'])).toEqual({ ok: false, reason: 'no_token' });
    expect(await attribute(dsnSample({ recipient: email }), [bounceTo], other)).toEqual({ ok: false, reason: 'forged' });
    expect(await attribute(dsnSample({ recipient: 'someone.else@example.org' }))).toEqual({ ok: false, reason: 'no_matching_recipient' });
    expect(await attribute('Subject: hello\r\n\r\njust a note\r\n', ['postmaster@bounces.localhost'])).toEqual({ ok: false, reason: 'unrecognised' });
  });
});
