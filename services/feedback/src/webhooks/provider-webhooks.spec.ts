import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { addressHash, FeedbackTokens } from '@mailroom/contracts';
import { attributeProviderEvent, type LedgerLookup } from '../reports/attribute-report';
import { mailgunEvent, verifyMailgun } from './mailgun';
import { postmarkEvent, verifyPostmark } from './postmark';
import { WebhookVerificationError } from './provider-event';
import { sendgridEvent, sendgridKey, verifySendgrid } from './sendgrid';

/** A ledger with no entries (expired): only the event's own address can name the recipient. */
const noLedger: LedgerLookup = () => Promise.resolve([]);

const tokens = new FeedbackTokens('a-test-bounce-secret-of-32-characters!!');
const newsletterId = '5a1f6f0e-3c1b-4f4e-9a53-0f2a4c5d6e7f';
const email = 'reader3@example.org';
const token = tokens.sign({ newsletterId, batchIndex: 1, addressHashPrefix: addressHash(email).slice(0, 8) })!;
const now = Date.UTC(2026, 11, 5, 20, 0, 0);
const seconds = String(now / 1000);

/** Mailgun's "failed" event as its docs show it, with our Message-ID. */
function mailgunBody(key: string, overrides: { timestamp?: string; severity?: string } = {}) {
  const timestamp = overrides.timestamp ?? seconds;
  const signatureToken = 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0';
  return {
    signature: { timestamp, token: signatureToken, signature: createHmac('sha256', key).update(timestamp + signatureToken).digest('hex') },
    'event-data': {
      event: 'failed',
      id: 'G9Bn5sl1TC6nu79C8C0bwg',
      timestamp: 1521233195.375624,
      severity: overrides.severity ?? 'permanent',
      reason: 'bounce',
      recipient: email,
      'delivery-status': { code: 550, message: '5.1.1 The email account that you tried to reach does not exist.', 'enhanced-code': '5.1.1' },
      message: { headers: { to: email, 'message-id': `${token}@example.org`, from: 'news@example.org', subject: 'November news' } },
    },
  };
}

describe('provider webhooks', () => {
  it('Mailgun: a correctly signed "failed" event is a hard bounce traced by the echoed Message-ID; a wrong key, an old timestamp or an edited body is refused', async () => {
    const key = 'mailgun-signing-key-0123456789';
    const data = verifyMailgun(mailgunBody(key), key, now, 300);
    const event = mailgunEvent(data);
    expect(event).toMatchObject({ source: 'mailgun', eventId: 'G9Bn5sl1TC6nu79C8C0bwg', email, kind: 'bounce', bounceType: 'hard', status: '5.1.1' });
    expect(await attributeProviderEvent(event.searchText, event.email, tokens, noLedger)).toEqual({ ok: true, claim: { newsletterId, batchIndex: 1, addressHashPrefix: addressHash(email).slice(0, 8) }, email });
    expect(mailgunEvent(verifyMailgun(mailgunBody(key, { severity: 'temporary' }), key, now, 300))).toMatchObject({ bounceType: 'soft' });

    expect(() => verifyMailgun(mailgunBody(key), 'another-signing-key-0123456789', now, 300)).toThrow(WebhookVerificationError);
    expect(() => verifyMailgun(mailgunBody(key, { timestamp: String(now / 1000 - 3600) }), key, now, 300)).toThrow(WebhookVerificationError);
    const edited = mailgunBody(key);
    edited.signature.token = 'b' + edited.signature.token.slice(1);
    expect(() => verifyMailgun(edited, key, now, 300)).toThrow(WebhookVerificationError);
  });

  it('SendGrid: events signed with ECDSA over timestamp + body; bounce, blocked and spamreport read, a changed byte refused', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = sendgridKey(publicKey.export({ format: 'der', type: 'spki' }).toString('base64'));
    const body = Buffer.from(
      JSON.stringify([
        { email, timestamp: 1513299569, 'smtp-id': `<${token}@example.org>`, event: 'bounce', type: 'bounce', status: '5.1.1', reason: '550 5.1.1 User unknown', sg_event_id: 'ZGVsaXZlcmVkLTAtMzE', sg_message_id: '14c5d75ce93.dfd.64b469' },
        { email, timestamp: 1513299570, 'smtp-id': `<${token}@example.org>`, event: 'spamreport', sg_event_id: 'c3BhbXJlcG9ydC0w', sg_message_id: '14c5d75ce93.dfd.64b469' },
        { email, timestamp: 1513299571, 'smtp-id': `<${token}@example.org>`, event: 'delivered', sg_event_id: 'ZGVsaXZlcmVkLTE', sg_message_id: '14c5d75ce93.dfd.64b469' },
      ]),
    );
    const signature = sign('sha256', Buffer.concat([Buffer.from(seconds), body]), privateKey).toString('base64');
    const events = verifySendgrid(body, signature, seconds, key, now, 300).map(sendgridEvent);
    expect(events.map((e) => [e.kind, e.bounceType])).toEqual([['bounce', 'hard'], ['complaint', undefined], ['other', undefined]]);
    expect(await attributeProviderEvent(events[1]!.searchText, email, tokens, noLedger)).toMatchObject({ ok: true, claim: { newsletterId, batchIndex: 1 } });

    const changed = Buffer.from(body.toString().replace('User unknown', 'User unknowN'));
    expect(() => verifySendgrid(changed, signature, seconds, key, now, 300)).toThrow(WebhookVerificationError);
    expect(() => verifySendgrid(body, undefined, seconds, key, now, 300)).toThrow(WebhookVerificationError);
  });

  it('Postmark: basic auth compared in constant time; HardBounce hard, SoftBounce soft, SpamComplaint a complaint', () => {
    const credentials = 'postmark:correct-horse-battery';
    expect(() => verifyPostmark(`Basic ${Buffer.from(credentials).toString('base64')}`, credentials)).not.toThrow();
    expect(() => verifyPostmark(`Basic ${Buffer.from('postmark:wrong-password').toString('base64')}`, credentials)).toThrow(WebhookVerificationError);
    expect(() => verifyPostmark(undefined, credentials)).toThrow(WebhookVerificationError);
    // As Postmark sends it: a 64-bit ID that a JSON number would round (…807 → …800).
    const bounce = (type: string) =>
      Buffer.from(
        `{"RecordType":"Bounce","ID":4323372036854775807,"Type":"${type}","TypeCode":1,"Email":"${email}",` +
          `"Description":"The server was unable to deliver your message (ex: unknown user, mailbox not found).",` +
          `"Details":"smtp;550 5.1.1 The email account does not exist","Content":"Message-ID: <${token}@example.org>"}`,
      );
    expect(postmarkEvent(bounce('HardBounce'))).toMatchObject({ kind: 'bounce', bounceType: 'hard', status: '5.1.1', eventId: 'Bounce-4323372036854775807' });
    expect(postmarkEvent(bounce('SoftBounce'))).toMatchObject({ kind: 'bounce', bounceType: 'soft' });
    expect(postmarkEvent(bounce('AutoResponder'))).toMatchObject({ kind: 'other' });
    expect(postmarkEvent(Buffer.from(`{"RecordType":"SpamComplaint","ID":42,"Email":"${email}"}`))).toMatchObject({ kind: 'complaint', eventId: 'SpamComplaint-42' });
  });

  it('traces nothing without a token of ours, with a forged one, or for an address that is not the signed one', async () => {
    const forged = new FeedbackTokens('another-bounce-secret-of-32-characters!!').sign({ newsletterId, batchIndex: 1, addressHashPrefix: addressHash(email).slice(0, 8) })!;
    expect(await attributeProviderEvent('{"smtp-id":"<abc@example.org>"}', email, tokens, noLedger)).toEqual({ ok: false, reason: 'no_token' });
    expect(await attributeProviderEvent(`{"smtp-id":"<${forged}@example.org>"}`, email, tokens, noLedger)).toEqual({ ok: false, reason: 'forged' });
    expect(await attributeProviderEvent(`{"smtp-id":"<${token}@example.org>"}`, 'other@example.org', tokens, noLedger)).toEqual({ ok: false, reason: 'no_matching_recipient' });
  });

  it("traces an event whose address the provider wrote in another case to the ledger's entry for the signed hash", async () => {
    const sent = 'Reader7@example.org';
    const signed = tokens.sign({ newsletterId, batchIndex: 4, addressHashPrefix: addressHash(sent).slice(0, 8) })!;
    const ledger: LedgerLookup = (claim) => Promise.resolve(claim.batchIndex === 4 ? [sent] : []);
    expect(await attributeProviderEvent(`{"smtp-id":"<${signed}@example.org>"}`, 'reader7@example.org', tokens, ledger)).toEqual({
      ok: true,
      claim: { newsletterId, batchIndex: 4, addressHashPrefix: addressHash(sent).slice(0, 8) },
      email: sent,
    });
  });
});
