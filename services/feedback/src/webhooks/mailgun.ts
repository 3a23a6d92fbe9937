import { createHmac, timingSafeEqual } from 'node:crypto';
import { ENHANCED_STATUS, isRecord, text, WebhookPayloadError, WebhookVerificationError, type ProviderEvent } from './provider-event';

/**
 * Mailgun's webhooks (JSON, `{ signature: { timestamp, token, signature }, "event-data": {…} }`):
 * the signature is HMAC-SHA256 of `timestamp + token` with the webhook signing key, in hex. Checked
 * in constant time; a timestamp older than `maxAgeSeconds` is refused (a replayed request).
 */
export function verifyMailgun(body: unknown, signingKey: string, nowMs: number, maxAgeSeconds: number): Record<string, unknown> {
  if (!isRecord(body) || !isRecord(body['signature']) || !isRecord(body['event-data'])) throw new WebhookVerificationError('Not a signed Mailgun webhook');
  const { timestamp, token, signature } = body['signature'];
  if (typeof timestamp !== 'string' || typeof token !== 'string' || typeof signature !== 'string') throw new WebhookVerificationError('Incomplete Mailgun signature');
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > maxAgeSeconds) throw new WebhookVerificationError('Mailgun timestamp out of range');
  const expected = createHmac('sha256', signingKey).update(timestamp + token).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new WebhookVerificationError('Mailgun signature does not match');
  return body['event-data'];
}

/** `failed` with severity `permanent` is a hard bounce, `temporary` a soft one; `complained` a complaint. */
export function mailgunEvent(data: Record<string, unknown>): ProviderEvent {
  const email = text(data['recipient']);
  const eventId = text(data['id']);
  if (!email || !eventId) throw new WebhookPayloadError('event-data needs recipient and id');
  const event = text(data['event']);
  const status = isRecord(data['delivery-status']) ? data['delivery-status'] : {};
  const detail = [text(status['code']), text(status['message']) ?? text(status['description'])].filter(Boolean).join(' ').slice(0, 500);
  const enhanced = text(status['enhanced-code']) ?? ENHANCED_STATUS.exec(detail)?.[0];
  const base = { source: 'mailgun' as const, eventId, email, searchText: JSON.stringify(data) };
  if (event === 'complained') return { ...base, kind: 'complaint' };
  if (event === 'failed') {
    return {
      ...base,
      kind: 'bounce',
      bounceType: text(data['severity']) === 'permanent' ? 'hard' : 'soft',
      ...(enhanced ? { status: enhanced } : {}),
      ...(detail ? { detail } : {}),
    };
  }
  return { ...base, kind: 'other' };
}
