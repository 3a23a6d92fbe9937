import { X509Certificate, createVerify } from 'node:crypto';
import { ENHANCED_STATUS, isRecord, text, WebhookPayloadError, WebhookVerificationError, type ProviderEvent } from './provider-event';

/** Hosts AWS signs SNS messages from (`sns.<region>.amazonaws.com`, and the China partitions). */
export const AWS_SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

export interface SnsTrust {
  /** Topics whose messages are taken (SES_SNS_TOPIC_ARNS). */
  readonly topicArns: ReadonlySet<string>;
  /** Is this URL one SNS may point us at (signing certificate, subscription confirmation)? */
  readonly trustedUrl: (url: URL) => boolean;
  /** The signing certificate (PEM) at a trusted URL; cached by the caller. */
  readonly fetchCertificate: (url: URL) => Promise<string>;
}

/** https on an AWS SNS host; plus the hosts of SNS_TRUSTED_HOSTS (http allowed for loopback ones: tests). */
export function snsUrlTrust(extraHosts: readonly string[]): (url: URL) => boolean {
  return (url) => {
    if (url.protocol === 'https:' && AWS_SNS_HOST.test(url.hostname)) return true;
    if (!extraHosts.includes(url.host)) return false;
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
  };
}

type SnsMessage = Record<string, string>;

/**
 * Checks an SNS HTTP message as AWS documents it: the signing certificate comes from a trusted
 * URL, the signature (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) covers the message's
 * fields in the documented order, and the topic is one we subscribed. Returns the message.
 */
export async function verifySnsMessage(body: unknown, trust: SnsTrust): Promise<SnsMessage> {
  if (!isRecord(body)) throw new WebhookVerificationError('Not an SNS message');
  const message: SnsMessage = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') message[key] = value;
  const { Type: type, TopicArn: topic, SigningCertURL: certUrl, Signature: signature, SignatureVersion: version } = message;
  if (!type || !topic || !certUrl || !signature) throw new WebhookVerificationError('SNS message without its signature fields');
  if (!trust.topicArns.has(topic)) throw new WebhookVerificationError('SNS topic not in SES_SNS_TOPIC_ARNS');
  let url: URL;
  try {
    url = new URL(certUrl);
  } catch {
    throw new WebhookVerificationError('SigningCertURL is not a URL');
  }
  if (!trust.trustedUrl(url) || !url.pathname.endsWith('.pem')) throw new WebhookVerificationError('SigningCertURL is not an SNS certificate');
  const algorithm = version === '2' ? 'RSA-SHA256' : version === '1' ? 'RSA-SHA1' : undefined;
  if (!algorithm) throw new WebhookVerificationError('Unknown SNS SignatureVersion');
  const fields = type === 'Notification' ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const signed = fields.filter((f) => message[f] !== undefined).map((f) => `${f}\n${message[f]}\n`).join('');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(await trust.fetchCertificate(url));
  } catch {
    throw new WebhookVerificationError('The SNS signing certificate could not be read');
  }
  const valid = createVerify(algorithm).update(signed, 'utf8').verify(certificate.publicKey, signature, 'base64');
  if (!valid) throw new WebhookVerificationError('SNS signature does not match');
  return message;
}

/**
 * The events of an SES notification (the SNS message's `Message`, JSON): one per bounced or
 * complaining recipient. Permanent bounces are hard, the rest soft; deliveries and others are
 * `other`. The original Message-ID (commonHeaders) carries our token.
 */
export function sesEvents(snsMessageId: string, notificationJson: string): ProviderEvent[] {
  let notification: unknown;
  try {
    notification = JSON.parse(notificationJson);
  } catch {
    throw new WebhookPayloadError('The SNS Message is not an SES notification (JSON)');
  }
  if (!isRecord(notification)) throw new WebhookPayloadError('The SNS Message is not an SES notification');
  const type = text(notification['notificationType']) ?? text(notification['eventType']);
  const searchText = JSON.stringify(notification['mail'] ?? {});
  const bounce = isRecord(notification['bounce']) ? notification['bounce'] : undefined;
  const complaint = isRecord(notification['complaint']) ? notification['complaint'] : undefined;
  if (type === 'Bounce' && bounce) {
    const hard = text(bounce['bounceType']) === 'Permanent';
    return recipientsOf(bounce['bouncedRecipients']).map((r, i) => {
      const detail = (text(r['diagnosticCode']) ?? '').slice(0, 500);
      const status = text(r['status']) ?? ENHANCED_STATUS.exec(detail)?.[0];
      return {
        source: 'ses',
        eventId: `${snsMessageId}.${i}`,
        email: text(r['emailAddress']) ?? '',
        kind: 'bounce',
        bounceType: hard ? 'hard' : 'soft',
        ...(status ? { status } : {}),
        ...(detail ? { detail } : {}),
        searchText,
      } satisfies ProviderEvent;
    });
  }
  if (type === 'Complaint' && complaint) {
    return recipientsOf(complaint['complainedRecipients']).map((r, i) => ({ source: 'ses', eventId: `${snsMessageId}.${i}`, email: text(r['emailAddress']) ?? '', kind: 'complaint', searchText }) satisfies ProviderEvent);
  }
  return [];
}

function recipientsOf(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter(isRecord).filter((r) => typeof r['emailAddress'] === 'string') : [];
}
