import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the timestamp and the signature: `Mailroom-Signature: t=<unix s>,v1=<hex>`. */
export const SIGNATURE_HEADER = 'Mailroom-Signature';

/**
 * HMAC-SHA256 over `<timestamp>.<raw body>`. The timestamp is signed too, so a captured request
 * cannot be replayed later with a fresh timestamp; receivers reject old ones (5 minutes is usual).
 */
export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

/**
 * What a receiver runs (README has the same code): constant-time compare, bounded age.
 * Exported for the tests and for anyone embedding Mailroom's verification in Node.
 */
export function verifyWebhook(
  secret: string,
  body: string,
  header: string | null | undefined,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const timestamp = Number(parts['t']);
  const signature = parts['v1'];
  if (!Number.isInteger(timestamp) || !signature || !/^[0-9a-f]{64}$/.test(signature)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
