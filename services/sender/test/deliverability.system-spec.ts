import { addressHash, FeedbackTokens, feedbackTokenOf, type NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, type ReceivedMessage } from '@mailroom/testing';
import type { ParsedMail } from 'mailparser';

jest.setTimeout(180_000);

const BOUNCE_DOMAIN = 'bounces.mailroom.test';
const BOUNCE_SECRET = 'deliverability-e2e-bounce-secret-0123456789';
const FROM = 'Acme News <news@mailroom.localhost>';

const header = (mail: ParsedMail, name: string): string | undefined => {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase());
  // The header as it was on the wire, unfolded, without its name.
  return line?.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
};
const toOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? '';

interface Delivered {
  readonly envelope: ReceivedMessage;
  readonly mail: ParsedMail;
}

describe('deliverability: bounce addresses, signed Message-IDs, list headers, text part (real processes)', () => {
  const tokens = new FeedbackTokens(BOUNCE_SECRET);
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      serviceEnv: { gateway: { ALLOWED_FROM: '@mailroom.localhost' }, sender: { BOUNCE_DOMAIN, BOUNCE_SECRET } },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  /** Sends and waits until the newsletter completes; its emails by recipient, each with the envelope the sink saw. */
  async function send(body: Record<string, unknown>, expected: number): Promise<{ id: string; delivered: Map<string, Delivered> }> {
    const before = smtp.messages.length;
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body: { from: FROM, ...body } });
    expect(res.status).toBe(202);
    await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed');
    await smtp.waitForMessages(before + expected, 10_000);
    // The sink only appends: message k of `parsed` is message k of `messages`.
    const parsed = await smtp.parsed();
    const mails = smtp.messages.slice(before).map((envelope, k) => ({ envelope, mail: parsed[before + k]! }));
    const mine = mails.filter((m) => m.mail.headers.get('x-mailroom-newsletter-id') === res.body.id);
    expect(mine).toHaveLength(expected);
    return { id: res.body.id, delivered: new Map(mine.map((m) => [toOf(m.mail), m])) };
  }

  it('sends each email from its own signed bounce address, whose token the Message-ID carries too', async () => {
    const recipients = Array.from({ length: 5 }, (_, i) => `reader${i}@example.org`);
    const { id, delivered } = await send({ subject: 'VERP', text: 'Hello', recipients, batchSize: 2 }, 5);
    const senders = new Set<string>();
    recipients.forEach((address, i) => {
      const { envelope, mail } = delivered.get(address)!;
      expect(envelope.from).toMatch(new RegExp(`^b1[a-z2-7]{58}@${BOUNCE_DOMAIN.replace(/\./g, '\\.')}$`));
      const token = feedbackTokenOf(envelope.from)!;
      // Recipients are split in order: recipient i is in batch ⌊i / 2⌋.
      expect(tokens.verify(token)).toEqual({
        ok: true,
        claim: { newsletterId: id, batchIndex: Math.floor(i / 2), addressHashPrefix: addressHash(address).slice(0, 8) },
      });
      expect(mail.messageId).toBe(`<${token}@mailroom.localhost>`);
      // The From header is untouched: only the envelope changed.
      expect(mail.from?.value).toEqual([{ address: 'news@mailroom.localhost', name: 'Acme News' }]);
      senders.add(envelope.from);
    });
    expect(senders.size).toBe(5);
    // Forged with another secret: not ours.
    expect(new FeedbackTokens(`${BOUNCE_SECRET}-other`).verify(feedbackTokenOf([...senders][0]!)!)).toEqual({ ok: false, reason: 'forged' });
  });

  // The test API key belongs to the tenant "test".
  it('names the list (else the tenant) in List-Id, and newsletter, tenant and kind in Feedback-ID', async () => {
    const list = await stack.request<{ id: string }>('POST', '/v1/lists', { body: { name: 'Headers' } });
    expect(list.status).toBe(201);
    const imported = await stack.request('POST', `/v1/lists/${list.body.id}/subscribers`, { rawBody: 'email\nola@example.org\n', headers: { 'content-type': 'text/csv' } });
    expect(imported.body).toMatchObject({ accepted: 1 });
    const forList = await send({ subject: 'List', text: 'x', listId: list.body.id }, 1);
    const ola = forList.delivered.get('ola@example.org')!.mail;
    expect(header(ola, 'List-Id')).toBe(`<${list.body.id}.mailroom.localhost>`);
    expect(header(ola, 'Feedback-ID')).toBe(`${forList.id}:test:newsletter:mailroom`);

    const inline = await send({ subject: 'Inline', text: 'x', recipients: ['ann@example.org'] }, 1);
    const ann = inline.delivered.get('ann@example.org')!.mail;
    expect(header(ann, 'List-Id')).toBe('<test.mailroom.localhost>');
    expect(header(ann, 'Feedback-ID')).toBe(`${inline.id}:test:newsletter:mailroom`);
  });

  it('sends an HTML-only newsletter as multipart/alternative with a text part rendered per recipient', async () => {
    const html = '<h1>News for {{ name | default: "you" }}</h1><p>Prices &amp; plans.</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>';
    const { delivered } = await send({ subject: 'HTML only', html, recipients: [{ email: 'eve@example.org', name: '<Eve>' }, 'bob@example.org'] }, 2);
    const eve = delivered.get('eve@example.org')!.mail;
    const bob = delivered.get('bob@example.org')!.mail;
    expect(eve.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(eve.html).toContain('News for &lt;Eve&gt;');
    const link = /<(http[^>]+)>/.exec(header(eve, 'List-Unsubscribe')!)![1]!;
    expect(eve.text?.trim()).toBe(`NEWS FOR <Eve>\n\nPrices & plans.\n\nUnsubscribe [${link}]`);
    expect(bob.text).toContain('NEWS FOR you');
    expect(bob.text).not.toContain(link);
  });

  it('carries the request\'s Reply-To and custom X- headers; a header off the allow-list is a 400 naming the field', async () => {
    const { delivered } = await send(
      { subject: 'Extras', text: 'x', recipients: ['kim@example.org'], replyTo: 'Acme Support <support@acme.example>', headers: { 'X-Campaign': 'spring-2026', 'X-Crm-Id': 'Grüße 42' } },
      1,
    );
    const kim = delivered.get('kim@example.org')!.mail;
    expect(kim.replyTo?.value).toEqual([{ address: 'support@acme.example', name: 'Acme Support' }]);
    expect(kim.headers.get('x-campaign')).toBe('spring-2026');
    // Not ASCII: an RFC 2047 encoded word on the wire (mailparser leaves unknown headers encoded).
    expect(kim.headers.get('x-crm-id')).toBe('=?UTF-8?Q?Gr=C3=BC=C3=9Fe_42?=');

    const beforeTest = smtp.messages.length;
    const test = await stack.request<{ id: string }>('POST', '/v1/newsletters/test', {
      body: { subject: 'Test extras', text: 'x', recipients: ['lou@example.org'], replyTo: 'help@acme.example', headers: { 'X-Campaign': 'test-run' } },
    });
    expect(test.status).toBe(202);
    await stack.waitForNewsletter<NewsletterView>(test.body.id, (v) => v.status === 'completed');
    await smtp.waitForMessages(beforeTest + 1, 10_000);
    const lou = (await smtp.parsed()).find((m) => m.headers.get('x-mailroom-newsletter-id') === test.body.id)!;
    expect([lou.replyTo?.text, lou.headers.get('x-campaign'), lou.headers.get('x-mailroom-test')]).toEqual(['help@acme.example', 'test-run', 'true']);
    expect(header(lou, 'Feedback-ID')).toBe(`${test.body.id}:test:test:mailroom`);

    const before = smtp.messages.length;
    for (const [headers, message] of [
      [{ Bcc: 'victim@example.org' }, /"Bcc" is not allowed/],
      [{ 'X-Note': 'a\r\nBcc: victim@example.org' }, /X-Note must not contain line breaks/],
      [{ 'X-Mailroom-Newsletter-Id': 'forged' }, /set by Mailroom/],
    ] as const) {
      const bad = await stack.request<{ error: string; field: string; message: string }>('POST', '/v1/newsletters', {
        body: { subject: 'Bad', text: 'x', recipients: ['victim@example.org'], headers },
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: 'validation_failed', field: 'headers', message: expect.stringMatching(message) });
    }
    const badReplyTo = await stack.request<{ field: string }>('POST', '/v1/newsletters', { body: { subject: 'Bad', text: 'x', recipients: ['victim@example.org'], replyTo: 'a@x.example, b@x.example' } });
    expect([badReplyTo.status, badReplyTo.body.field]).toEqual([400, 'replyTo']);
    expect(smtp.messages.length).toBe(before);
    expect(smtp.deliveriesTo.has('victim@example.org')).toBe(false);
  });
});
