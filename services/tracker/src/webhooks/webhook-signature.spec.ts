import { signWebhook, verifyWebhook } from './webhook-signature';

const secret = 'whsec-0123456789abcdef';
const body = JSON.stringify({ type: 'newsletter.completed', data: { sent: 3 } });
const now = 1_800_000_000;

describe('webhook signatures', () => {
  it('verifies what it signs', () => {
    expect(verifyWebhook(secret, body, signWebhook(secret, body, now), { nowSeconds: now })).toBe(true);
  });

  it.each([
    ['a tampered body', (h: string) => ({ body: body.replace('3', '4'), header: h })],
    ['another secret', (_h: string) => ({ body, header: signWebhook('other-secret-0123456789', body, now) })],
    ['a replayed old request', (_h: string) => ({ body, header: signWebhook(secret, body, now - 301) })],
    ['a missing header', (_h: string) => ({ body, header: '' })],
    ['a garbled header', (_h: string) => ({ body, header: 't=abc,v1=zz' })],
  ])('refuses %s', (_label, change) => {
    const { body: b, header } = change(signWebhook(secret, body, now));
    expect(verifyWebhook(secret, b, header, { nowSeconds: now })).toBe(false);
  });
});
