import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { composeEmail } from '../compose/compose-email';
import type { OutgoingEmail } from '../outgoing-email';
import { DkimKeyError, DkimSigningKey, dkimKeyFor } from './dkim-signing-key';
import { verifyDkim } from './testing/verify-dkim';

// Exactly the bytes SmtpMailer sends after DATA.
const render = async (email: OutgoingEmail, keys: readonly DkimSigningKey[]): Promise<Buffer> => (await composeEmail(email, keys)).raw;

const keyPair = (): { privatePem: string; publicKey: KeyObject } => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
};

const newsletter: OutgoingEmail = {
  from: 'Acme News <news@acme.example>',
  to: { email: 'reader@example.org', name: 'Reader' },
  subject: 'November news',
  html: '<h1>Hello</h1><p>What happened this month…</p>',
  text: 'Hello.   What happened   this month…\n\n\n',
  headers: {
    'X-Mailroom-Newsletter-Id': 'nl-1',
    'List-Unsubscribe': '<https://acme.example/u/abc>, <mailto:unsubscribe@acme.example?subject=abc>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
};

describe('DKIM signing', () => {
  const acme = keyPair();
  const other = keyPair();
  const acmeKey = new DkimSigningKey('Acme.Example', 'mr2026', acme.privatePem);

  it('signs with the From domain key, and the signature verifies with its public key', async () => {
    const raw = await render(newsletter, [acmeKey]);
    const result = verifyDkim(raw, acme.publicKey);
    expect(result).toMatchObject({ ok: true, tags: { d: 'acme.example', s: 'mr2026', a: 'rsa-sha256', c: 'relaxed/relaxed' } });
  });

  it('covers From, Subject, List-Unsubscribe and List-Unsubscribe-Post', async () => {
    const { signedHeaders } = verifyDkim(await render(newsletter, [acmeKey]), acme.publicKey);
    expect(signedHeaders).toEqual(expect.arrayContaining(['from', 'subject', 'to', 'list-unsubscribe', 'list-unsubscribe-post']));
  });

  it('fails verification when a signed header, the body or the key differ (the check is not vacuous)', async () => {
    const raw = (await render(newsletter, [acmeKey])).toString('latin1');
    const tamperedUnsubscribe = raw.replace('List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'List-Unsubscribe-Post: List-Unsubscribe=Two-Click');
    const tamperedBody = raw.replace('What happened', 'What happenes');
    expect(tamperedUnsubscribe).not.toBe(raw);
    expect(verifyDkim(tamperedUnsubscribe, acme.publicKey)).toMatchObject({ ok: false, reason: 'signature does not verify' });
    expect(verifyDkim(tamperedBody, acme.publicKey)).toMatchObject({ ok: false, reason: 'body hash mismatch' });
    expect(verifyDkim(raw, other.publicKey)).toMatchObject({ ok: false });
  });

  it('signs a subdomain sender with its parent domain key, and leaves other domains unsigned', async () => {
    const sub = await render({ ...newsletter, from: 'news@mail.acme.example' }, [acmeKey]);
    expect(verifyDkim(sub, acme.publicKey)).toMatchObject({ ok: true, tags: { d: 'acme.example' } });
    const foreign = await render({ ...newsletter, from: 'news@other.example' }, [acmeKey]);
    expect(foreign.toString('latin1')).not.toMatch(/^DKIM-Signature:/im);
  });

  it('picks the most specific key', () => {
    const mail = new DkimSigningKey('mail.acme.example', 's1', other.privatePem);
    expect(dkimKeyFor('A <x@mail.acme.example>', [acmeKey, mail])).toBe(mail);
    expect(dkimKeyFor('x@www.acme.example', [acmeKey, mail])).toBe(acmeKey);
    expect(dkimKeyFor('x@example', [acmeKey, mail])).toBeUndefined();
    expect(dkimKeyFor('x@acme.example', [])).toBeUndefined();
  });

  it('refuses a key that is not an unencrypted RSA PEM, without echoing it', () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => new DkimSigningKey('acme.example', 's', 'not a key -----SECRET-----')).toThrow(DkimKeyError);
    expect(() => new DkimSigningKey('acme.example', 's', ed)).toThrow('must be an RSA key (got ed25519)');
    try {
      new DkimSigningKey('acme.example', 's', 'not a key -----SECRET-----');
    } catch (error) {
      expect((error as Error).message).not.toContain('SECRET');
    }
  });

  it('never shows the private key when the key is logged or serialised', () => {
    expect(JSON.stringify({ dkim: [acmeKey] })).toBe('{"dkim":[{"domain":"acme.example","selector":"mr2026"}]}');
    expect(Object.values(acmeKey).join(' ')).not.toContain('PRIVATE KEY');
  });
});
