import { generateKeyPairSync } from 'node:crypto';
import { DkimSigningKey } from '../dkim/dkim-signing-key';
import { verifyDkim } from '../dkim/testing/verify-dkim';
import type { OutgoingEmail } from '../outgoing-email';
import { ComposeError, composeEmail } from './compose-email';

const LONG_URL = `https://mail.acme.example/unsubscribe/${'A'.repeat(150)}`;

const email: OutgoingEmail = {
  from: 'Acme News <news@acme.example>',
  to: { email: 'reader@example.org', name: 'Reader' },
  subject: 'November news',
  text: 'Hello',
  headers: { 'X-Mailroom-Newsletter-Id': 'nl-1' },
  rawHeaders: {
    'List-Unsubscribe': `<${LONG_URL}>, <mailto:unsubscribe@acme.example?subject=unsubscribe%20abc>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  messageId: '<nl-1.abc_DEF-123@acme.example>',
};

/** The header section, unfolded: one entry per header. */
async function headersOf(message: OutgoingEmail, keys: readonly DkimSigningKey[] = []): Promise<string[]> {
  const raw = (await composeEmail(message, keys)).raw.toString('latin1');
  return raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ').split('\r\n');
}

describe('composeEmail: raw headers and Message-ID', () => {
  it('writes raw headers byte for byte (folded only at their spaces), and the given Message-ID', async () => {
    const headers = await headersOf(email);
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(headers).toContain(`List-Unsubscribe: <${LONG_URL}>, <mailto:unsubscribe@acme.example?subject=unsubscribe%20abc>`);
    expect(headers).toContain('Message-ID: <nl-1.abc_DEF-123@acme.example>');
    expect(headers).toContain('X-Mailroom-Newsletter-Id: nl-1');
  });

  it('never puts a line break inside the long URL (folds between the two URIs)', async () => {
    const raw = (await composeEmail(email, [])).raw.toString('latin1');
    const folded = /List-Unsubscribe:([^]*?)\r\n(?![ \t])/.exec(raw)![1]!;
    expect(folded.split('\r\n ').map((part) => part.trim()).filter(Boolean)).toEqual([
      `<${LONG_URL}>,`,
      '<mailto:unsubscribe@acme.example?subject=unsubscribe%20abc>',
    ]);
  });

  it.each([
    ['a line break (header injection)', { 'List-Unsubscribe': '<https://x.example/u>\r\nBcc: victim@example.org' }],
    ['non-ASCII', { 'List-Unsubscribe': '<https://exämple.org/u>' }],
    ['a bad field name', { 'List Unsubscribe': '<https://x.example/u>' }],
  ])('refuses a raw header with %s instead of sending it altered', async (_what, rawHeaders) => {
    await expect(composeEmail({ ...email, rawHeaders }, [])).rejects.toThrow(ComposeError);
  });

  it('keeps the raw headers intact under a DKIM signature that covers them', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = new DkimSigningKey('acme.example', 'mr2026', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const listHeaders = { 'List-Id': '<default.acme.example>', 'Feedback-ID': 'nl-1:default:newsletter:mailroom' };
    const result = verifyDkim((await composeEmail({ ...email, rawHeaders: { ...email.rawHeaders, ...listHeaders }, replyTo: 'help@acme.example' }, [key])).raw, publicKey);
    expect(result.ok).toBe(true);
    expect(result.signedHeaders).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'message-id', 'list-id', 'feedback-id', 'reply-to']));
  });

  it('signs with the key of the From domain when the envelope sender is at a bounce domain (DMARC alignment by DKIM)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = new DkimSigningKey('acme.example', 'mr2026', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const composed = await composeEmail({ ...email, envelopeFrom: 'b1abc@bounces.other.example' }, [key]);
    expect(composed.envelope.from).toBe('b1abc@bounces.other.example');
    expect(composed.raw.toString('latin1')).toMatch(/^DKIM-Signature: [^]*?d=acme\.example;/);
    expect(verifyDkim(composed.raw, publicKey).ok).toBe(true);
  });
});
