import { DEVELOPMENT_BOUNCE_SECRET, FeedbackTokens, feedbackTokenOf, type NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink } from '@mailroom/testing';
import type { ParsedMail } from 'mailparser';

jest.setTimeout(180_000);

/** A public origin (links must be https); the test reaches the gateway behind it as a TLS proxy would. */
const PUBLIC_BASE_URL = 'https://mail.mailroom.test';
const UNSUBSCRIBE_SECRET = 'personalisation-e2e-secret-0123456789abcdef';
const MAILTO = 'unsubscribe@acme.example';

const subjectTemplate = 'Hello {{ name | default: "reader" }}';
const htmlTemplate = '<p>Hi {{ name | default: "reader" }} ({{ email }})</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>';
const textTemplate = 'Hi {{ name | default: "reader" }}. Unsubscribe: {{ unsubscribe_url }}';

const header = (mail: ParsedMail, name: string): string => {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase());
  if (!line) throw new Error(`No ${name} header`);
  // The header as it was on the wire, unfolded, without its name.
  return line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
};
const toOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? '';

describe('personalisation and compliance headers (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      env: { UNSUBSCRIBE_SECRET },
      serviceEnv: {
        sender: { PUBLIC_BASE_URL, UNSUBSCRIBE_MAILTO: MAILTO },
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  /** Sends and waits until the newsletter completes; returns its emails, one per recipient. */
  async function send(body: Record<string, unknown>, expected: number): Promise<{ id: string; mails: Map<string, ParsedMail> }> {
    const before = smtp.messages.length;
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body });
    expect(res.status).toBe(202);
    await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed');
    await smtp.waitForMessages(before + expected, 10_000);
    const parsed = await smtp.parsed();
    const mine = parsed.slice(before).filter((m) => m.headers.get('x-mailroom-newsletter-id') === res.body.id);
    expect(mine).toHaveLength(expected);
    return { id: res.body.id, mails: new Map(mine.map((m) => [toOf(m), m])) };
  }

  it('renders subject, html and text per recipient: names, the default, HTML escaping in html only', async () => {
    const { mails } = await send(
      {
        subject: subjectTemplate,
        html: htmlTemplate,
        text: textTemplate,
        recipients: [{ email: 'ann@example.org', name: 'Ann' }, { email: 'eve@example.org', name: '<b>Eve</b>' }, 'nobody@example.org'],
      },
      3,
    );
    const ann = mails.get('ann@example.org')!;
    const eve = mails.get('eve@example.org')!;
    const nobody = mails.get('nobody@example.org')!;

    expect(ann.subject).toBe('Hello Ann');
    expect(ann.html).toContain('<p>Hi Ann (ann@example.org)</p>');
    expect(nobody.subject).toBe('Hello reader');
    expect(nobody.text).toMatch(/^Hi reader\. Unsubscribe: https:/);

    expect(eve.subject).toBe('Hello <b>Eve</b>');
    expect(eve.html).toContain('<p>Hi &lt;b&gt;Eve&lt;/b&gt; (eve@example.org)</p>');
    expect(eve.html).not.toContain('<b>Eve</b>');
    expect(eve.text).toMatch(/^Hi <b>Eve<\/b>\. Unsubscribe: /);

    // {{ unsubscribe_url }} is the recipient's own link, the one in List-Unsubscribe.
    for (const [address, mail] of mails) {
      const link = /<(https:[^>]+)>/.exec(header(mail, 'List-Unsubscribe'))![1]!;
      expect({ address, html: mail.html }).toEqual({ address, html: expect.stringContaining(`<a href="${link}">Unsubscribe</a>`) });
      expect(mail.text).toContain(`Unsubscribe: ${link}`);
    }
  });

  it('puts List-Unsubscribe (https, then mailto), the exact one-click Post and a unique Message-ID on every email', async () => {
    const recipients = Array.from({ length: 40 }, (_, i) => ({ email: `reader${i}@example.org`, name: `Reader ${i}` }));
    const { id, mails } = await send({ subject: 'Headers', text: 'Hello {{ name }}', recipients, batchSize: 10 }, 40);
    const messageIds = new Set<string>();
    for (const [address, mail] of mails) {
      const list = header(mail, 'List-Unsubscribe');
      expect({ address, list }).toEqual({
        address,
        list: expect.stringMatching(new RegExp(`^<${PUBLIC_BASE_URL}/unsubscribe/[A-Za-z0-9_-]+>, <mailto:${MAILTO}\\?subject=unsubscribe%20[A-Za-z0-9_-]+>$`)),
      });
      expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      // Signed (BOUNCE_SECRET unset: the development secret), naming this newsletter.
      expect(mail.messageId).toMatch(/^<b1[a-z2-7]{58}@mailroom\.localhost>$/);
      expect(new FeedbackTokens(DEVELOPMENT_BOUNCE_SECRET).verify(feedbackTokenOf(mail.messageId!)!)).toMatchObject({ ok: true, claim: { newsletterId: id } });
      messageIds.add(mail.messageId!);
      // No address in the link: it ends up in access logs.
      expect(list).not.toContain(address);
      expect(list).not.toContain(encodeURIComponent(address));
    }
    expect(messageIds.size).toBe(40);
    // Every recipient's link is their own.
    expect(new Set([...mails.values()].map((m) => header(m, 'List-Unsubscribe'))).size).toBe(40);
  });

  it('removes line breaks that merge data would bring into the subject', async () => {
    // An inline name cannot hold a line break (the gateway refuses it), so a list column brings one.
    const list = await stack.request<{ id: string }>('POST', '/v1/lists', { body: { name: 'Injection' } });
    expect(list.status).toBe(201);
    const imported = await stack.request<{ accepted: number }>('POST', `/v1/lists/${list.body.id}/subscribers`, {
      rawBody: '{"email":"mallory@example.org","topic":"News\\r\\nBcc: victim@example.org"}\n',
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(imported.body).toMatchObject({ accepted: 1 });
    const { mails } = await send({ subject: 'About {{ topic }}', text: 'x', listId: list.body.id }, 1);
    const mail = mails.get('mallory@example.org')!;
    expect(mail.subject).toBe('About News Bcc: victim@example.org');
    expect(mail.headers.has('bcc')).toBe(false);
    expect(smtp.deliveriesTo.has('victim@example.org')).toBe(false);
  });

  it("merges a subscriber list's custom columns (vars)", async () => {
    const list = await stack.request<{ id: string }>('POST', '/v1/lists', { body: { name: 'With columns' } });
    const csv = 'email,name,city,plan\nola@example.org,Ola,Oslo,pro\nlea@example.org,,Lyon,\n';
    const imported = await stack.request('POST', `/v1/lists/${list.body.id}/subscribers`, { rawBody: csv, headers: { 'content-type': 'text/csv' } });
    expect(imported.body).toMatchObject({ accepted: 2 });
    const { mails } = await send(
      {
        subject: '{{ city }} news',
        html: '<p>{{ name | default: "Hello" }}, {{ city }} on {{ plan | default: "free" }}</p>',
        text: '{{ name | default: "Hello" }}, {{ city }} on {{ plan | default: "free" }}',
        listId: list.body.id,
      },
      2,
    );
    const ola = mails.get('ola@example.org')!;
    const lea = mails.get('lea@example.org')!;
    expect([ola.subject, ola.text?.trim()]).toEqual(['Oslo news', 'Ola, Oslo on pro']);
    expect([lea.subject, lea.text?.trim()]).toEqual(['Lyon news', 'Hello, Lyon on free']);
    expect(lea.html).toContain('<p>Hello, Lyon on free</p>');
  });

  it('merges per-recipient vars given inline', async () => {
    const { mails } = await send(
      {
        subject: 'Plan {{ plan }}',
        text: '{{ name }} in {{ city | default: "somewhere" }}',
        recipients: [
          { email: 'ivo@example.org', name: 'Ivo', vars: { plan: 'team', city: 'Rome' } },
          { email: 'eva@example.org', name: 'Eva', vars: { plan: 'solo' } },
        ],
      },
      2,
    );
    expect([mails.get('ivo@example.org')!.subject, mails.get('ivo@example.org')!.text?.trim()]).toEqual(['Plan team', 'Ivo in Rome']);
    expect([mails.get('eva@example.org')!.subject, mails.get('eva@example.org')!.text?.trim()]).toEqual(['Plan solo', 'Eva in somewhere']);
    const bad = await stack.request<{ field: string }>('POST', '/v1/newsletters', {
      body: { subject: 'x', text: 'x', recipients: [{ email: 'x@example.org', vars: { plan: 3 } }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('recipients[0].vars');
  });

  describe('a template that does not compile is refused at submit (400, the field and the position)', () => {
    const base = { subject: 'Fine', text: 'Fine', recipients: ['ann@example.org'] };
    it.each([
      ['subject', { subject: 'Hi {{ name ' }, 'subject is not a valid template: output "{{ name " not closed (line 1, column 4)'],
      ['html', { html: '<p>\n  {% if name %}Hi' }, 'html is not a valid template: tag {% if name %} not closed (line 2, column 3)'],
      ['text', { text: 'Hi\n{{ name | shout }}' }, 'text is not a valid template: undefined filter: shout (line 2, column 1)'],
      ['html', { html: '{% include "/etc/passwd" %}' }, 'html is not a valid template: the include tag is not available'],
    ])('%s', async (field, fields, message) => {
      const res = await stack.request<{ error: string; message: string; field: string }>('POST', '/v1/newsletters', { body: { ...base, ...fields } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'validation_failed', field, message: expect.stringContaining(message) });
    });

    it('on the legacy route too (content)', async () => {
      const res = await stack.request<{ field: string; message: string }>('POST', '/send-newsletter', {
        body: { subject: 'Legacy', content: '<p>{% for x in list %}</p>', subscriberList: ['ann@example.org'] },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ field: 'content', message: expect.stringContaining('(line 1, column 4)') });
    });
  });
});
