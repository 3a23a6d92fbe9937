import { execFileSync } from 'node:child_process';
import { createSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addressHash, FeedbackTokens } from '@mailroom/contracts';
import { attributeProviderEvent } from '../reports/attribute-report';
import { sesEvents, snsUrlTrust, verifySnsMessage, type SnsTrust } from './amazon-sns';
import { WebhookVerificationError } from './provider-event';

const tokens = new FeedbackTokens('a-test-bounce-secret-of-32-characters!!');
const newsletterId = '5a1f6f0e-3c1b-4f4e-9a53-0f2a4c5d6e7f';
const email = 'reader3@example.org';
const token = tokens.sign({ newsletterId, batchIndex: 1, addressHashPrefix: addressHash(email).slice(0, 8) })!;
const topic = 'arn:aws:sns:eu-west-1:123456789012:ses-feedback';
const certUrl = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem';

/** A local signing certificate stands in for AWS's (openssl, as on every Debian machine). */
let certificate: string;
let privateKey: string;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-sns-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=sns.test.invalid'], { stdio: 'ignore' });
    certificate = readFileSync(join(dir, 'cert.pem'), 'utf8');
    privateKey = readFileSync(join(dir, 'key.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const trust = (): SnsTrust => ({ topicArns: new Set([topic]), trustedUrl: snsUrlTrust([]), fetchCertificate: () => Promise.resolve(certificate) });

/** An SNS Notification as AWS sends it, signed as AWS documents (fields in order, `name\nvalue\n`). */
function notification(sesMessage: object, version: '1' | '2' = '2', overrides: Record<string, string> = {}) {
  const message: Record<string, string> = {
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: topic,
    Message: JSON.stringify(sesMessage),
    Timestamp: '2026-12-05T20:00:00.000Z',
    SignatureVersion: version,
    SigningCertURL: certUrl,
    ...overrides,
  };
  const signed = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'].filter((f) => message[f] !== undefined).map((f) => `${f}\n${message[f]}\n`).join('');
  message['Signature'] = createSign(version === '2' ? 'RSA-SHA256' : 'RSA-SHA1').update(signed).sign(privateKey, 'base64');
  return message;
}

/** SES's bounce notification, trimmed from its documentation's sample. */
const sesBounce = {
  notificationType: 'Bounce',
  bounce: {
    bounceType: 'Permanent',
    bounceSubType: 'General',
    bouncedRecipients: [{ emailAddress: email, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
    timestamp: '2026-12-05T19:59:58.000Z',
    feedbackId: '000001378603177f-7a5433e7-8edb-42ae-af10-f0181f34d6ee-000000',
  },
  mail: { timestamp: '2026-12-05T19:59:50.000Z', messageId: '00000137860315fd-34208509-5b74-41f3-95c5-22c1edc3c924-000000', commonHeaders: { messageId: `<${token}@example.org>`, to: [email] } },
};

describe('Amazon SES through SNS', () => {
  it('takes a notification signed with the certificate at a trusted SNS URL (SignatureVersion 1 and 2) and reads a permanent bounce as hard', async () => {
    for (const version of ['1', '2'] as const) {
      const message = await verifySnsMessage(notification(sesBounce, version), trust());
      const events = sesEvents(message['MessageId']!, message['Message']!);
      expect(events).toEqual([expect.objectContaining({ source: 'ses', email, kind: 'bounce', bounceType: 'hard', status: '5.1.1', eventId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324.0' })]);
      expect(attributeProviderEvent(events[0]!.searchText, email, tokens)).toMatchObject({ ok: true, claim: { newsletterId, batchIndex: 1 } });
    }
    const complaint = { notificationType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: email }], feedbackId: 'x' }, mail: sesBounce.mail };
    expect(sesEvents('m', JSON.stringify(complaint))).toEqual([expect.objectContaining({ kind: 'complaint', email })]);
    expect(sesEvents('m', JSON.stringify({ ...sesBounce, bounce: { ...sesBounce.bounce, bounceType: 'Transient' } }))[0]).toMatchObject({ bounceType: 'soft' });
  });

  it('refuses an altered message, another topic, a certificate from a host that is not SNS, and an unknown signature version', async () => {
    const altered = notification(sesBounce);
    altered['Message'] = altered['Message']!.replace('5.1.1', '5.1.2');
    await expect(verifySnsMessage(altered, trust())).rejects.toThrow(WebhookVerificationError);
    await expect(verifySnsMessage(notification(sesBounce, '2', { TopicArn: 'arn:aws:sns:eu-west-1:123456789012:other' }), trust())).rejects.toThrow('SES_SNS_TOPIC_ARNS');
    await expect(verifySnsMessage(notification(sesBounce, '2', { SigningCertURL: 'https://sns.eu-west-1.amazonaws.com.evil.test/cert.pem' }), trust())).rejects.toThrow('not an SNS certificate');
    await expect(verifySnsMessage(notification(sesBounce, '2', { SigningCertURL: 'http://sns.eu-west-1.amazonaws.com/cert.pem' }), trust())).rejects.toThrow('not an SNS certificate');
    await expect(verifySnsMessage({ ...notification(sesBounce), SignatureVersion: '3' }, trust())).rejects.toThrow('SignatureVersion');
  });

  it('trusts extra hosts only as configured, plain http only on loopback', () => {
    const trusted = snsUrlTrust(['127.0.0.1:8080', 'certs.internal.example:443']);
    expect(trusted(new URL('http://127.0.0.1:8080/c.pem'))).toBe(true);
    expect(trusted(new URL('http://certs.internal.example:443/c.pem'))).toBe(false);
    expect(trusted(new URL('https://certs.internal.example/c.pem'))).toBe(false);
    expect(trusted(new URL('http://127.0.0.1:9090/c.pem'))).toBe(false);
  });
});
