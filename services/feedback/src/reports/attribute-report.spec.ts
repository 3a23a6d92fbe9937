import { addressHash, bounceAddress, FeedbackTokens, type FeedbackClaim } from '@mailroom/contracts';
import { attributeReport, type LedgerLookup } from './attribute-report';
import { readReport } from './read-report';
import { AUTO_REPLY_SAMPLE, arfSample, dsnSample, freeTextBounceSample } from './report-samples';

const tokens = new FeedbackTokens('a-test-bounce-secret-of-32-characters!!');
const other = new FeedbackTokens('another-bounce-secret-of-32-characters!!');
const newsletterId = '5a1f6f0e-3c1b-4f4e-9a53-0f2a4c5d6e7f';
const email = 'Reader3@example.org';
const token = tokens.sign({ newsletterId, batchIndex: 2, addressHashPrefix: addressHash(email).slice(0, 8) })!;
const bounceTo = bounceAddress(token, 'bounces.localhost');

/** A ledger with no entries (expired), or one that must not be asked (the report names its recipient). */
const noLedger: LedgerLookup = () => Promise.resolve([]);
const unasked: LedgerLookup = () => Promise.reject(new Error('the ledger was read'));

async function attribute(message: string, to: readonly string[] = [bounceTo], keys = tokens, ledger: LedgerLookup = noLedger) {
  return attributeReport(await readReport(Buffer.from(message)), to, keys, ledger);
}

/** The batch's ledger entries with the claim's hash prefix: the recipient, and whoever else is given. */
function ledgerWith(...emails: string[]): LedgerLookup & { readonly claims: FeedbackClaim[] } {
  const claims: FeedbackClaim[] = [];
  return Object.assign(
    (claim: FeedbackClaim) => {
      claims.push(claim);
      return Promise.resolve(emails);
    },
    { claims },
  );
}

describe('attributeReport (reports as mail servers send them)', () => {
  it('traces a DSN mailed to a bounce address to its newsletter, batch and recipient: a hard bounce with its status', async () => {
    expect(await attribute(dsnSample({ recipient: email }), [bounceTo], tokens, unasked)).toEqual({
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

  describe('a report that does not name its recipient: the delivery ledger of the signed batch', () => {
    const messageId = `<${token}@example.org>`;

    it('traces a redacted ARF complaint (no Original-Rcpt-To, no To line) to the ledger entry with the signed hash prefix', async () => {
      const ledger = ledgerWith(email);
      expect(await attribute(arfSample({ recipient: email, messageId, redacted: true }), ['fbl@bounces.localhost'], tokens, ledger)).toEqual({
        ok: true,
        feedback: { kind: 'complaint', newsletterId, batchIndex: 2, email, detail: 'feedback-type abuse' },
      });
      expect(ledger.claims).toEqual([{ newsletterId, batchIndex: 2, addressHashPrefix: addressHash(email).slice(0, 8) }]);
    });

    it('traces a DSN that names no recipient, or only the address the message was forwarded to, by its bounce address', async () => {
      expect(await attribute(dsnSample({ recipient: email, unnamed: true }), [bounceTo], tokens, ledgerWith(email))).toEqual({
        ok: true,
        feedback: { kind: 'bounce', bounceType: 'hard', newsletterId, batchIndex: 2, email, status: '5.1.1', detail: '550 5.1.1 User unknown' },
      });
      expect(await attribute(dsnSample({ recipient: 'inbox-7731@mx.example.net', status: '4.2.2', action: 'delayed' }), [bounceTo], tokens, ledgerWith(email))).toMatchObject({
        ok: true,
        feedback: { kind: 'bounce', bounceType: 'soft', email, status: '4.2.2' },
      });
    });

    it('matches a recipient whose local part the reporting server wrote in another case through its mailbox, as the ledger spells it', async () => {
      // READER3@… hashes differently from Reader3@…: only the ledger knows how it was sent.
      expect(await attribute(dsnSample({ recipient: 'READER3@example.org' }), [bounceTo], tokens, ledgerWith(email))).toMatchObject({ ok: true, feedback: { email } });
      // Two entries share the prefix (48 bits: possible, never seen): the one the report names by mailbox wins.
      expect(await attribute(dsnSample({ recipient: 'reader3@example.org' }), [bounceTo], tokens, ledgerWith('someone@example.org', email))).toMatchObject({ ok: true, feedback: { email } });
    });

    it('changes nothing when the ledger has no such entry (expired) or several the report does not tell apart, and never reads it for a non-failure', async () => {
      expect(await attribute(arfSample({ recipient: email, messageId, redacted: true }), ['fbl@bounces.localhost'], tokens, noLedger)).toEqual({ ok: false, reason: 'no_matching_recipient' });
      expect(await attribute(dsnSample({ recipient: email, unnamed: true }), [bounceTo], tokens, ledgerWith('someone@example.org', email))).toEqual({ ok: false, reason: 'ambiguous_recipient' });
      expect(await attribute(dsnSample({ recipient: 'inbox-7731@mx.example.net', status: '2.0.0', action: 'delivered' }), [bounceTo], tokens, unasked)).toEqual({ ok: false, reason: 'not_a_failure' });
      // A forged token never gets as far as the ledger.
      expect(await attribute(dsnSample({ recipient: email, unnamed: true }), [bounceTo], other, unasked)).toEqual({ ok: false, reason: 'forged' });
    });
  });
});
