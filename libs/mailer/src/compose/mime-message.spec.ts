import { simpleParser } from 'mailparser';
import type { OutgoingEmail } from '../outgoing-email';
import { MimeMessageWriter } from './mime-message';
import { EncodedBodyCache } from './encoded-body-cache';
import { encodeQuotedPrintable } from './quoted-printable';

const email: OutgoingEmail = {
  from: 'Acme News <news@acme.example>',
  to: { email: 'reader@example.org', name: 'Reader' },
  subject: 'November news',
  text: 'Hello',
  html: '<p>Hello</p>',
  messageId: '<nl-1.abc@acme.example>',
};

/** Decodes quoted-printable as RFC 2045 says (soft breaks removed, escapes turned back into bytes). */
function decodeQuotedPrintable(encoded: Buffer): string {
  const joined = encoded.toString('latin1').replace(/=\r\n/g, '');
  return Buffer.from(joined.replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
}

describe('encodeQuotedPrintable', () => {
  const samples: Array<[string, string]> = [
    ['a long ASCII line', 'word '.repeat(100)],
    ['UTF-8 and emoji', 'Grüße aus Köln – 你好 👋 '.repeat(20)],
    ['equals signs and a line of only escapes', `a=b ${'='.repeat(90)} ${'é'.repeat(60)}`],
    ['whitespace before line ends', 'trailing space \nand tab\t\r\nend '],
    ['a line of exactly 76 characters', 'x'.repeat(76)],
  ];

  it.each(samples)('round-trips %s, every line within 76 characters, CRLF line ends only', (_what, text) => {
    const encoded = encodeQuotedPrintable(text);
    expect(decodeQuotedPrintable(encoded)).toBe(text.replace(/\r?\n/g, '\r\n'));
    const lines = encoded.toString('latin1').split('\r\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(76);
    expect(encoded.toString('latin1').replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // Whitespace never ends a line (it would be stripped in transit).
    expect(lines.filter((l) => /[ \t]$/.test(l))).toEqual([]);
  });

  it('turns bare LF and bare CR into CRLF line breaks', () => {
    expect(encodeQuotedPrintable('a\nb\rc\r\nd').toString('latin1')).toBe('a\r\nb\r\nc\r\nd');
  });
});

describe('body encoding', () => {
  const encodeBody = (text: string) => new EncodedBodyCache().encode(text);

  it('sends plain ASCII with short lines as it is (7bit), line ends made CRLF', () => {
    const body = encodeBody('<p>Dear Reader 7,</p>\n<p>a = b; 100% "quoted"\ttab</p>\r\n.\rend');
    expect(body.encoding).toBe('7bit');
    expect(body.bytes.toString('latin1')).toBe('<p>Dear Reader 7,</p>\r\n<p>a = b; 100% "quoted"\ttab</p>\r\n.\r\nend');
  });

  it.each([
    ['non-ASCII text', 'Grüße'],
    ['a control character', 'bell \u0007'],
    ['a line over 998 characters', 'x'.repeat(999)],
    ['a line over 998 characters between LF line ends', `a\n${'x'.repeat(999)}\nb`],
    ['a line over 998 characters between CRLF line ends', `a\r\n${'x'.repeat(999)}\r\nb`],
    ['a line over 998 characters after a bare CR', `a\r${'x'.repeat(999)}`],
    ['a line that starts like a boundary', 'a\n--=_mr_0_1\nb'],
  ])('uses quoted-printable for %s', (_what, text) => {
    const body = encodeBody(text);
    expect(body.encoding).toBe('quoted-printable');
    expect(decodeQuotedPrintable(body.bytes)).toBe(text.replace(/\r\n|\r|\n/g, '\r\n'));
  });

  it.each([
    ['first', `${'x'.repeat(998)}\nshort`],
    ['between LF line ends', `a\n${'x'.repeat(998)}\nb`],
    ['between CRLF line ends', `a\r\n${'x'.repeat(998)}\r\nb`],
    ['last, after a bare CR', `a\r${'x'.repeat(998)}`],
  ])('keeps a 998-character line as it is (%s)', (_where, text) => {
    const body = encodeBody(text);
    expect(body.encoding).toBe('7bit');
    expect(body.bytes.toString('latin1')).toBe(text.replace(/\r\n|\r|\n/g, '\r\n'));
  });
});

describe('MimeMessageWriter', () => {
  it('tells the reader which transfer encoding each part uses', async () => {
    const raw = new MimeMessageWriter().write({ ...email, text: 'Plain ASCII', html: '<p>Grüße</p>' }).raw;
    const parsed = await simpleParser(raw);
    expect(parsed.text?.trim()).toBe('Plain ASCII');
    expect(parsed.html).toBe('<p>Grüße</p>');
    const source = raw.toString('latin1');
    expect(source).toContain('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit');
    expect(source).toContain('Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable');
  });

  it('writes multipart/alternative that a mail client reads back: headers, text, html, envelope', async () => {
    const message = new MimeMessageWriter().write({ ...email, headers: { 'X-Mailroom-Newsletter-Id': 'nl-1' } });
    expect(message.envelope).toEqual({ from: 'news@acme.example', to: ['reader@example.org'] });
    const parsed = await simpleParser(message.raw);
    expect(parsed.from?.value).toEqual([{ address: 'news@acme.example', name: 'Acme News' }]);
    expect(parsed.to).toMatchObject({ value: [{ address: 'reader@example.org', name: 'Reader' }] });
    expect(parsed.subject).toBe('November news');
    expect(parsed.messageId).toBe('<nl-1.abc@acme.example>');
    expect(parsed.text?.trim()).toBe('Hello');
    expect(parsed.html).toBe('<p>Hello</p>');
    expect(parsed.headers.get('x-mailroom-newsletter-id')).toBe('nl-1');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
  });

  it('encodes non-ASCII names, subjects and domains, and quotes names with specials', async () => {
    const message = new MimeMessageWriter().write({
      ...email,
      from: '"Acme, Inc." <news@acme.example>',
      to: { email: 'juergen@bücher.example', name: 'Jürgen Müller' },
      subject: 'Grüße – 你好 👋',
    });
    const raw = message.raw;
    expect(message.envelope.to).toEqual(['juergen@xn--bcher-kva.example']);
    const head = raw.toString('latin1').slice(0, raw.indexOf('\r\n\r\n'));
    expect(head).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    expect(head).toContain('<juergen@xn--bcher-kva.example>');
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('Grüße – 你好 👋');
    expect(parsed.from?.value).toEqual([{ address: 'news@acme.example', name: 'Acme, Inc.' }]);
    expect(parsed.to).toMatchObject({ value: [{ address: 'juergen@bücher.example', name: 'Jürgen Müller' }] });
  });

  it('keeps a UTF-8 local part as UTF-8 (servers that offer SMTPUTF8 take it)', async () => {
    const message = new MimeMessageWriter().write({ ...email, to: { email: 'jürgen@example.org' } });
    expect(message.envelope.to).toEqual(['jürgen@example.org']);
    expect((await simpleParser(message.raw)).to).toMatchObject({ value: [{ address: 'jürgen@example.org' }] });
  });

  it('never lets a line break in a name or header value start a new header (injection)', async () => {
    const raw = new MimeMessageWriter().write({
      ...email,
      to: { email: 'reader@example.org', name: 'Eve\r\nBcc: victim@example.org' },
      subject: 'Hi\r\nBcc: victim@example.org',
      headers: { 'X-Note': 'a\nBcc: victim@example.org' },
    }).raw;
    const head = raw.toString('latin1').slice(0, raw.indexOf('\r\n\r\n'));
    expect(head.split('\r\n').filter((line) => /^bcc:/i.test(line))).toEqual([]);
    expect((await simpleParser(raw)).bcc).toBeUndefined();
  });

  it('writes a single part when there is only html, and bodies survive a boundary-like line', async () => {
    const tricky = '<p>a</p>\n--=_mr_ looks like a boundary\n.\n.. dots\n';
    const parsed = await simpleParser(new MimeMessageWriter().write({ ...email, text: undefined, html: tricky }).raw);
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'text/html' });
    expect(String(parsed.html).replace(/\r\n/g, '\n')).toBe(tricky);
  });

  it('gives each multipart message its own boundary', () => {
    const writer = new MimeMessageWriter();
    const boundaryOf = (raw: Buffer) => /boundary="([^"]+)"/.exec(raw.toString('latin1'))![1];
    expect(boundaryOf(writer.write(email).raw)).not.toBe(boundaryOf(writer.write(email).raw));
  });

  it('takes the envelope sender from envelopeFrom (a bounce address), leaving the From header alone', async () => {
    const message = new MimeMessageWriter().write({ ...email, envelopeFrom: 'b1abc@bounces.acme.example' });
    expect(message.envelope).toEqual({ from: 'b1abc@bounces.acme.example', to: ['reader@example.org'] });
    const parsed = await simpleParser(message.raw);
    expect(parsed.from?.value).toEqual([{ address: 'news@acme.example', name: 'Acme News' }]);
    // Return-Path is the receiving server's to write, from MAIL FROM.
    expect(parsed.headers.has('return-path')).toBe(false);
    expect(new MimeMessageWriter().write({ ...email, envelopeFrom: 'b1@bücher.example' }).envelope.from).toBe('b1@xn--bcher-kva.example');
  });

  it.each(['b1@bounces.example\r\nRCPT TO:<victim@example.org>', 'a b@bounces.example', '<b1@bounces.example>', 'no-domain', 'x@'])(
    'refuses an envelope sender that is not one bare address: %j',
    (envelopeFrom) => {
      expect(() => new MimeMessageWriter().write({ ...email, envelopeFrom })).toThrow(/envelope sender/);
    },
  );

  it('writes Reply-To like From, and refuses one without a mailbox', async () => {
    const parsed = await simpleParser(new MimeMessageWriter().write({ ...email, replyTo: 'Support Desk <help@acme.example>' }).raw);
    expect(parsed.replyTo?.value).toEqual([{ address: 'help@acme.example', name: 'Support Desk' }]);
    expect(() => new MimeMessageWriter().write({ ...email, replyTo: 'Nobody' })).toThrow(/Reply-To address/);
    // Only the first mailbox is taken, re-written: a line break cannot start a header.
    const injected = new MimeMessageWriter().write({ ...email, replyTo: 'a@acme.example\r\nBcc: victim@example.org' }).raw.toString('latin1');
    expect(injected.slice(0, injected.indexOf('\r\n\r\n')).split('\r\n').filter((line) => /^bcc:/i.test(line))).toEqual([]);
  });

  it('refuses a From without a mailbox', () => {
    expect(() => new MimeMessageWriter().write({ ...email, from: 'Nobody' })).toThrow(/From address/);
  });

  it.each(['reader@example.org\r\nBcc: victim@example.org', 'a@example.org, b@example.org', 'Eve <eve@example.org>'])(
    'refuses a recipient address that is not one bare address: %j',
    (address) => {
      expect(() => new MimeMessageWriter().write({ ...email, to: { email: address } })).toThrow(/not a bare address/);
    },
  );
});
