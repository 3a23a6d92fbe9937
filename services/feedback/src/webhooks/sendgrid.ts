import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ENHANCED_STATUS, isRecord, text, WebhookPayloadError, WebhookVerificationError, type ProviderEvent } from './provider-event';

/**
 * SendGrid's Event Webhook, signed: ECDSA (P-256, SHA-256) over `timestamp + raw body`, the
 * signature (base64 DER) in `X-Twilio-Email-Event-Webhook-Signature`, the timestamp in
 * `X-Twilio-Email-Event-Webhook-Timestamp`; the verification key is the one SendGrid shows for
 * the webhook (base64 DER, SubjectPublicKeyInfo).
 */
export function sendgridKey(base64Der: string): KeyObject {
  return createPublicKey({ key: Buffer.from(base64Der, 'base64'), format: 'der', type: 'spki' });
}

export function verifySendgrid(rawBody: Buffer, signature: string | undefined, timestamp: string | undefined, key: KeyObject, nowMs: number, maxAgeSeconds: number): unknown[] {
  if (!signature || !timestamp) throw new WebhookVerificationError('SendGrid webhook without signature headers');
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > maxAgeSeconds) throw new WebhookVerificationError('SendGrid timestamp out of range');
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]);
  if (!verify('sha256', signed, key, Buffer.from(signature, 'base64'))) throw new WebhookVerificationError('SendGrid signature does not match');
  let events: unknown;
  try {
    events = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookPayloadError('The body is not JSON');
  }
  if (!Array.isArray(events)) throw new WebhookPayloadError('A SendGrid webhook body is an array of events');
  return events;
}

/**
 * `bounce` (type `bounce`: hard; type `blocked`: soft), `dropped` for a bounced address (hard),
 * `spamreport`. A `deferred` is SendGrid still retrying: not a bounce.
 */
export function sendgridEvent(event: unknown): ProviderEvent {
  if (!isRecord(event)) throw new WebhookPayloadError('A SendGrid event is an object');
  const email = text(event['email']);
  const eventId = text(event['sg_event_id']);
  if (!email || !eventId) throw new WebhookPayloadError('A SendGrid event needs email and sg_event_id');
  const base = { source: 'sendgrid' as const, eventId, email, searchText: JSON.stringify(event) };
  const kind = text(event['event']);
  const detail = (text(event['reason']) ?? text(event['response']) ?? '').slice(0, 500);
  const status = text(event['status']) ?? ENHANCED_STATUS.exec(detail)?.[0];
  const facts = { ...(status ? { status } : {}), ...(detail ? { detail } : {}) };
  if (kind === 'spamreport') return { ...base, kind: 'complaint' };
  if (kind === 'bounce') return { ...base, kind: 'bounce', bounceType: text(event['type']) === 'blocked' ? 'soft' : 'hard', ...facts };
  if (kind === 'dropped' && /bounced address/i.test(detail)) return { ...base, kind: 'bounce', bounceType: 'hard', ...facts };
  return { ...base, kind: 'other' };
}
