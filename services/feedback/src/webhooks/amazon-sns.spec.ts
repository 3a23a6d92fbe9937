import { createSign } from 'node:crypto';
import { addressHash, FeedbackTokens } from '@mailroom/contracts';
import { attributeProviderEvent, type LedgerLookup } from '../reports/attribute-report';
import { sesEvents, snsUrlTrust, verifySnsMessage, type SnsTrust } from './amazon-sns';
import { WebhookVerificationError } from './provider-event';

/** A ledger with no entries (expired): only the event's own address can name the recipient. */
const noLedger: LedgerLookup = () => Promise.resolve([]);

const tokens = new FeedbackTokens('a-test-bounce-secret-of-32-characters!!');
const newsletterId = '5a1f6f0e-3c1b-4f4e-9a53-0f2a4c5d6e7f';
const email = 'reader3@example.org';
const token = tokens.sign({ newsletterId, batchIndex: 1, addressHashPrefix: addressHash(email).slice(0, 8) })!;
const topic = 'arn:aws:sns:eu-west-1:123456789012:ses-feedback';
const certUrl = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem';

/**
 * A signing certificate of our own stands in for AWS's: self-signed, made for this test only
 * (`openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=sns.test.invalid`); its key
 * signs nothing anywhere else.
 */
const certificate = `-----BEGIN CERTIFICATE-----
MIIDGTCCAgGgAwIBAgIUICgbpPct7Vh+aq86jsTXj33fv7YwDQYJKoZIhvcNAQEL
BQAwGzEZMBcGA1UEAwwQc25zLnRlc3QuaW52YWxpZDAgFw0yNjEyMDUyMTQ3NTBa
GA8yMTI2MTExMTIxNDc1MFowGzEZMBcGA1UEAwwQc25zLnRlc3QuaW52YWxpZDCC
ASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAKydiJkBitsdldLPpPSPuB++
s9ajBihbw+518UBoGIjfplRD5Ib1oNsoPAJOaQEWAQMcthNAbq6GgfQ4Hni1Cpvh
Ou3I+QPl38ISDeIEaQO9InaIY6ut9Hg3+EslbTBdIy4c97JvAfv+XTtFbyNViJaq
ZxvPWFOiIUxo/u2gbIz5e6SnSAwUy/zqeMG22s/0BIkGhvx024hdDrU8gNazKR3v
uSPWO3HgQyjqYG4tCdCFjDSxyhP9HSCk2oty9Iujd5udreN/Vd/oFjD5+qeQ1rr5
LWxr1t8a4l+k15uYqnP33ZP91kH3V0CNnxCc433OngiyzXPMJKIDrGWd6wLDvVsC
AwEAAaNTMFEwHQYDVR0OBBYEFDMg9zUlP+++c5eLr6uU8unf4C0eMB8GA1UdIwQY
MBaAFDMg9zUlP+++c5eLr6uU8unf4C0eMA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZI
hvcNAQELBQADggEBACbuPSdndA+vE0hTuDHcIF2PF1ohvrlU9Y98mGmlwGasEgFy
vzPEPS0CwnsGw8vuXhNrNGhniQFyIHt1IP2Kty52HkBfu2rHpGL705g0kszX2TyZ
xnjerlFLbEYwJNbZlTgbrJ0xKYMmkLiT89rWp2ZskxUy15c2WxRoEFsASHKuxAin
a8ToKkYaJgq+IinNWvBZaFICNj322qZWqyzYAyhbtTH4n1Rg/f3RJDN4KjsyC0zl
EKDB6WX4zFtKatpH/NUoN7c2VPm9HGyXVtVfq928A63TZpfwMMtUIBow3H5HLG3S
JH8rMQYIXvA6z3nsfccBkKu080DZpYN6bbeVosM=
-----END CERTIFICATE-----
`;
const privateKey = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCsnYiZAYrbHZXS
z6T0j7gfvrPWowYoW8PudfFAaBiI36ZUQ+SG9aDbKDwCTmkBFgEDHLYTQG6uhoH0
OB54tQqb4TrtyPkD5d/CEg3iBGkDvSJ2iGOrrfR4N/hLJW0wXSMuHPeybwH7/l07
RW8jVYiWqmcbz1hToiFMaP7toGyM+Xukp0gMFMv86njBttrP9ASJBob8dNuIXQ61
PIDWsykd77kj1jtx4EMo6mBuLQnQhYw0scoT/R0gpNqLcvSLo3ebna3jf1Xf6BYw
+fqnkNa6+S1sa9bfGuJfpNebmKpz992T/dZB91dAjZ8QnON9zp4Iss1zzCSiA6xl
nesCw71bAgMBAAECggEATvTiKibH9rFiOmMrr4hb7v1isp+wbd6H0XhWiaDz9Avl
P68shcUuNoEBbgaixlHj1aIY8NZsql0xbV4MJiedui68r07aBLvt7Y4nloZw6Lpn
XLPHb5yq8iCb7PeqKdC4ilvKu25GiJdR2w5IJ2/1AgHhFxnxa5QCSjrOvTA/5v1o
gpRwgJkvMMTlohTiXMt+AgvXeWzB1cJDFQ3xxDbz57l5qAC+qVDCvegIy4X2aMnK
r4jb4491G4CdedV3IExsLgqn5rRmTJMZjsOmB0fPBNYkaM68tmZP7/7394nquWFa
uSydXH7hzMVtAc8pYZ96dB/wMYay6Se1tGmCNZsPLQKBgQDisjypLU3gbTEipQJY
/j39EfA4kAxL0hqglno60OpZG1ORWSaHdjeUoiVMfSnXWoz0xzhbeD+ZoYwxECm4
uqS1nhqq2uEyDALXNG25pYdjMx2G2dQl3AH5MnDBUahuQ3y2rdA1vAsCNuj9/nF2
aX4/Smb//+1xV+Fu1rT4y5wjBwKBgQDC7as3/vYyrS5ZRIr3TZgQnXzC/RYymUmg
UXwVKldW+ZfRef2tkbYY4QCrtY1noaD2Eh2n+YiWUpo23a1amHqO/KwIcMUkEkH+
uMzkmrUdUze6ce1Ca9u7yh0Iy8Tgah+l1EwijFn9CeOI5+Eg9T0xhkjuM+vHjSX4
IQ6kz27aDQKBgCMUC3juLrfEja7bs7JLnRH03aQS/iQZXc9tmXpSa4DgTp0WG3Uo
oM8aDAV69KeDNn6F+T2GLOk76zKIWrxf/S6xSVUYy3HwE9xzG2t3pqx981qziDVX
huKloHb5iMOPI9QsryQxdc6g6oqq/amiB0wJ2khQtNAuFg8NoDFDaGSvAoGAcm2i
vVRmookXVD/wdAyQ3/ATdUOs7DcgCYTMGoColN4gSVAbovCOvTwYcLQ7NkKjgtBP
qHPLwrLq5JptUWmBSL77HllU4T/2jdleLjTDbVuUs1Z9uSgn7a1QLgGwqSyjN23Q
49cQXIKZl5zHg9ly+sehuHOyTYqGZ4rAVe+PW2ECgYEA12YHEFtEGtSE6yInLYFc
EB5nzTRaXjcFpi9dk1cBGT+Ev9Q5HguBc0si8qpuNr1D6OI0gWHv1zk2RnRKt/Wq
iwXuALFRagRgl9Bt4g3mWpnOiS+ximkSlui7UsYTynd3z6sV9i4oOxWzhIxkmk8R
Z8yiVmF8yWcU+dOa4HHzzUo=
-----END PRIVATE KEY-----
`;

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
      expect(await attributeProviderEvent(events[0]!.searchText, email, tokens, noLedger)).toMatchObject({ ok: true, claim: { newsletterId, batchIndex: 1 } });
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
