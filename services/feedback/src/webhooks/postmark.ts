import { createHash, timingSafeEqual } from 'node:crypto';
import { ENHANCED_STATUS, isRecord, parseJson, text, WebhookPayloadError, WebhookVerificationError, type ProviderEvent } from './provider-event';

/**
 * Postmark signs nothing: its webhooks carry HTTP basic auth set in the webhook's URL
 * (`https://user:password@…/webhooks/postmark`). Compared in constant time (hashed first, so the
 * lengths say nothing either).
 */
export function verifyPostmark(authorization: string | undefined, credentials: string): void {
  const given = /^Basic\s+(.+)$/i.exec(authorization ?? '')?.[1];
  if (!given) throw new WebhookVerificationError('Postmark webhook without basic auth');
  const decoded = Buffer.from(given, 'base64').toString('utf8');
  const digest = (value: string) => createHash('sha256').update(value).digest();
  if (!timingSafeEqual(digest(decoded), digest(credentials))) throw new WebhookVerificationError('Postmark basic auth does not match');
}

/** Bounce types Postmark counts as the address not working (the rest: soft, or not a bounce of ours). */
const HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated']);
/** Temporary failures; auto-responders, challenge mails and spam notifications are not bounces at all. */
const SOFT = new Set(['SoftBounce', 'Transient', 'DnsError', 'Blocked', 'DMARCPolicy']);

/**
 * `RecordType` Bounce (by `Type`) or SpamComplaint; everything else (Delivery, Open …) is other.
 * Postmark's `ID` is a 64-bit integer, past what a JSON number keeps exactly: it is read from the
 * raw body, so two events never share an id (and one is never dropped as the other's repeat).
 */
export function postmarkEvent(raw: Buffer): ProviderEvent {
  const body = parseJson(raw);
  if (!isRecord(body)) throw new WebhookPayloadError('The body is not a Postmark event');
  const email = text(body['Email']) ?? text(body['Recipient']);
  const eventId = /"ID"\s*:\s*"?(\d{1,30})/.exec(raw.toString('utf8'))?.[1] ?? text(body['MessageID']);
  if (!email || !eventId) throw new WebhookPayloadError('A Postmark event needs Email and ID');
  const recordType = text(body['RecordType']);
  const base = { source: 'postmark' as const, eventId: `${recordType ?? 'event'}-${eventId}`, email, searchText: JSON.stringify(body) };
  if (recordType === 'SpamComplaint') return { ...base, kind: 'complaint' };
  if (recordType === 'Bounce') {
    const type = text(body['Type']) ?? '';
    if (!HARD.has(type) && !SOFT.has(type)) return { ...base, kind: 'other' };
    const detail = [text(body['Description']), text(body['Details'])].filter(Boolean).join(': ').slice(0, 500);
    const status = ENHANCED_STATUS.exec(detail)?.[0];
    return { ...base, kind: 'bounce', bounceType: HARD.has(type) ? 'hard' : 'soft', ...(status ? { status } : {}), ...(detail ? { detail } : {}) };
  }
  return { ...base, kind: 'other' };
}
