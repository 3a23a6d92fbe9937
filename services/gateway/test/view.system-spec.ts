import { Readable } from 'node:stream';
import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, waitFor } from '@mailroom/testing';
import type { ParsedMail } from 'mailparser';
import { streamUpload } from './support/stream-upload';
import { throughGateway, unsubscribeLinkOf } from './support/unsubscribe-links';

jest.setTimeout(180_000);

const PUBLIC_BASE_URL = 'https://mail.mailroom.test';
const UNSUBSCRIBE_SECRET = 'view-e2e-secret-0123456789abcdefghijklm';
/** This stack's retention: seconds stand in for the 30 days of a deployment (long enough for every other test to look at its pages). */
const RETENTION_MS = 20_000;
const HTML =
  '<html><body><p><a href="{{ view_url }}">View in your browser</a></p><p>Hi {{ name }} from {{ city }}</p>' +
  '<a href="https://shop.example.com/sale?id={{ id }}">Sale</a> <a href="{{ unsubscribe_url }}">Unsubscribe</a></body></html>';
const RECIPIENTS = [
  { email: 'ann@example.org', name: 'Ann', vars: { city: 'Oslo', id: 'a1' } },
  { email: 'bob@example.org', name: 'Bob', vars: { city: 'Bergen', id: 'b2' } },
  { email: 'cat@example.org', name: 'Cat', vars: { city: 'Tromsø', id: 'c3' } },
];

const toOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? '';
const VIEW_LINK = new RegExp(`${PUBLIC_BASE_URL}/v/[A-Za-z0-9_-]+`);
const viewLinkOf = (text: string) => VIEW_LINK.exec(text)?.[0];
/** The open pixel the sender adds (the page must not have it). */
const PIXEL = /<img src="[^"]+\/o\/[^"]+"[^>]*>/;
const tamper = (link: string) => {
  const at = link.length - 10;
  return link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1);
};

/**
 * "View in browser" end to end (real processes, real SMTP sink): the sender gives each recipient
 * their own signed `{{ view_url }}`, and the gateway shows that recipient's copy of the newsletter,
 * rendered again from what is stored, until the newsletter's retention removes it.
 */
describe('view in browser (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      env: { UNSUBSCRIBE_SECRET, PUBLIC_BASE_URL },
      serviceEnv: {
        tracker: { NEWSLETTER_RETENTION_MS: String(RETENTION_MS), RETENTION_SWEEP_MS: '250' },
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  async function send(body: Record<string, unknown>): Promise<{ id: string; mails: Map<string, ParsedMail> }> {
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body });
    expect(res.status).toBe(202);
    await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed');
    const parsed = (await smtp.parsed()).filter((m) => m.headers.get('x-mailroom-newsletter-id') === res.body.id);
    return { id: res.body.id, mails: new Map(parsed.map((m) => [toOf(m), m])) };
  }

  const get = (link: string) => fetch(throughGateway(link, stack.gateway.baseUrl), { redirect: 'manual' });

  it("gives each recipient a link of their own; recipient 2's shows exactly recipient 2's email, without pixel; a tampered one shows nothing", async () => {
    const { mails } = await send({ subject: 'News for {{ name }}', html: HTML, recipients: RECIPIENTS, tracking: { opens: true } });
    expect(mails.size).toBe(3);
    const links = RECIPIENTS.map((r) => viewLinkOf(String(mails.get(r.email)!.html)));
    expect(links.every((l) => l !== undefined)).toBe(true);
    expect(new Set(links).size).toBe(3);
    // No readable address in a link. The token is base64url, which may spell "bob" by chance but
    // never an "@" (plain or %40) or a dotted domain.
    expect(links.some((l) => /@|%40|example\.org/i.test(l!.slice(PUBLIC_BASE_URL.length)))).toBe(false);
    const bobMail = mails.get('bob@example.org')!;
    // The text part made from the HTML carries the same link.
    expect(bobMail.text).toContain(links[1]);

    const page = await get(links[1]!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    expect(page.headers.get('x-robots-tag')).toContain('noindex');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    const html = await page.text();
    // Byte for byte the HTML of Bob's email, less the open pixel: his name, his city, his own unsubscribe link.
    expect(html).toBe(String(bobMail.html).replace(PIXEL, ''));
    expect(PIXEL.test(String(bobMail.html))).toBe(true);
    expect(html).toContain('<p>Hi Bob from Bergen</p>');
    expect(html).toContain(`<a href="${unsubscribeLinkOf(bobMail)}">Unsubscribe</a>`);
    expect(html).toContain(`<a href="${links[1]}">View in your browser</a>`);
    expect(html).not.toMatch(/Ann|Cat|Oslo|Tromsø/);
    expect(html).not.toContain(unsubscribeLinkOf(mails.get('ann@example.org')!));
    expect(html).not.toMatch(/\/o\/|\/c\//);

    const tampered = await get(tamper(links[1]!));
    expect(tampered.status).toBe(404);
    expect(tampered.headers.get('content-type')).toContain('text/html');
    expect(tampered.headers.get('cache-control')).toBe('private, no-store');
    const refused = await tampered.text();
    expect(refused).toContain('not valid');
    expect(refused).not.toMatch(/Bob|Bergen|Hi |Sale|unsubscribe\//);
  });

  it('with click tracking, the tracked view link leads to the page, whose links are the original ones', async () => {
    const { mails } = await send({ subject: 'Tracked', html: HTML, recipients: RECIPIENTS.slice(0, 2), tracking: { opens: true, clicks: true } });
    const annMail = mails.get('ann@example.org')!;
    const annHtml = String(annMail.html);
    expect(viewLinkOf(annHtml)).toBeUndefined();
    const tracked = new RegExp(`<a href="(${PUBLIC_BASE_URL}/c/[^"]+)">View in your browser</a>`).exec(annHtml)![1]!;
    const click = await get(tracked);
    expect(click.status).toBe(302);
    const link = click.headers.get('location')!;
    expect(link).toMatch(new RegExp(`^${PUBLIC_BASE_URL}/v/`));
    const html = await (await get(link)).text();
    expect(html).toBe(
      `<html><body><p><a href="${link}">View in your browser</a></p><p>Hi Ann from Oslo</p>` +
        `<a href="https://shop.example.com/sale?id=a1">Sale</a> <a href="${unsubscribeLinkOf(annMail)}">Unsubscribe</a></body></html>`,
    );
  });

  it('shows a text-only newsletter in a <pre>; its text has the same link', async () => {
    const { mails } = await send({ subject: 'Plain {{ name }}', text: 'Hello {{ name }} <3\nOnline: {{ view_url }}', recipients: RECIPIENTS.slice(0, 2) });
    // (mailparser ends a text part with a line break.)
    const text = String(mails.get('bob@example.org')!.text).trimEnd();
    const link = viewLinkOf(text)!;
    expect(text).toBe(`Hello Bob <3\nOnline: ${link}`);
    const page = await get(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Plain Bob</title>');
    expect(html).toMatch(new RegExp(`<pre[^>]*>Hello Bob &lt;3\nOnline: ${link}</pre>`));
  });

  it("shows a subscriber list's recipient their own copy", async () => {
    const list = await stack.request<{ id: string }>('POST', '/v1/lists', { body: { name: 'Readers' } });
    expect(list.status).toBe(201);
    const csv = 'email,name,city,id\nann@example.org,Ann,Oslo,a1\nbob@example.org,Bob,Bergen,b2\ncat@example.org,Cat,Tromsø,c3\n';
    const imported = await streamUpload<{ accepted: number }>(`${stack.gateway.baseUrl}/v1/lists/${list.body.id}/subscribers`, Readable.from([csv]), 'text/csv');
    expect(imported.body.accepted).toBe(3);
    const { mails } = await send({ subject: 'To the list', html: HTML, listId: list.body.id });
    expect(mails.size).toBe(3);
    const bobMail = mails.get('bob@example.org')!;
    const res = await get(viewLinkOf(String(bobMail.html))!);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toBe(String(bobMail.html));
    expect(html).toContain('<p>Hi Bob from Bergen</p>');
    expect(html).not.toMatch(/Ann|Cat/);
  });

  it('answers 410, a page saying so, once the newsletter is past its retention', async () => {
    const { id, mails } = await send({ subject: 'Soon gone', html: HTML, recipients: RECIPIENTS.slice(0, 1) });
    const link = viewLinkOf(String(mails.get('ann@example.org')!.html))!;
    expect((await get(link)).status).toBe(200);
    await waitFor(
      async () => (await stack.request('GET', `/v1/newsletters/${id}`)).status,
      (status) => status === 404,
      { timeoutMs: RETENTION_MS + 30_000, intervalMs: 500, description: 'the newsletter removed after its retention' },
    );
    const gone = await get(link);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('content-type')).toContain('text/html');
    const html = await gone.text();
    expect(html).toContain('no longer available');
    expect(html).not.toMatch(/Ann|Oslo/);
  });
});
