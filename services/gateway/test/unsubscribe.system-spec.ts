import { UnsubscribeTokens, type NewsletterView, type SuppressionEntry } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, waitFor } from '@mailroom/testing';
import type { ParsedMail } from 'mailparser';
import { oneClick, throughGateway, tokenOf, unsubscribeLinkOf } from './support/unsubscribe-links';

jest.setTimeout(180_000);

const PUBLIC_BASE_URL = 'https://mail.mailroom.test';
const UNSUBSCRIBE_SECRET = 'unsubscribe-e2e-secret-0123456789abcdefgh';

const toOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? '';

describe('one-click unsubscribe through the link in List-Unsubscribe (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  const tokens = new UnsubscribeTokens(UNSUBSCRIBE_SECRET);

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      env: { UNSUBSCRIBE_SECRET },
      serviceEnv: { sender: { PUBLIC_BASE_URL } },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  const gatewayUrl = (link: string) => throughGateway(link, stack.gateway.baseUrl);
  const suppressed = async (): Promise<SuppressionEntry[]> =>
    (await stack.request<{ items: SuppressionEntry[] }>('GET', '/v1/suppressions?limit=1000')).body.items;

  async function send(subject: string, recipients: string[], extra: Record<string, unknown> = {}): Promise<string> {
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body: { subject, text: 'Hello', recipients, ...extra } });
    expect(res.status).toBe(202);
    return res.body.id;
  }
  async function mailsOf(id: string): Promise<Map<string, ParsedMail>> {
    const parsed = await smtp.parsed();
    return new Map(parsed.filter((m) => m.headers.get('x-mailroom-newsletter-id') === id).map((m) => [toOf(m), m]));
  }

  const first = ['ann@example.org', 'bob@example.org', 'cid@example.org'];
  let firstId = '';
  let links: Map<string, string>;

  it('sends the first newsletter, each email with its own link', async () => {
    firstId = await send('First', first);
    await stack.waitForNewsletter<NewsletterView>(firstId, (v) => v.status === 'completed');
    const mails = await mailsOf(firstId);
    links = new Map(first.map((address) => [address, unsubscribeLinkOf(mails.get(address)!)]));
    expect(new Set(links.values()).size).toBe(3);
  });

  it('GET shows a confirmation page with a button that POSTs, and unsubscribes nobody', async () => {
    const res = await fetch(gatewayUrl(links.get('bob@example.org')!));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
    const html = await res.text();
    expect(html).toContain('b***@example.org');
    expect(html).not.toContain('bob@example.org');
    expect(html).toMatch(/<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">/);
    expect(await suppressed()).toEqual([]);
  });

  it('POST one-click (no API key, form-encoded) answers 200 and suppresses the address at once', async () => {
    const res = await oneClick(gatewayUrl(links.get('bob@example.org')!));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are unsubscribed');
    const [entry, ...others] = await suppressed();
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ email: 'bob@example.org', reason: 'unsubscribed', source: firstId });

    // Repeating it (a client retrying, the page's button after one-click) changes nothing.
    expect((await oneClick(gatewayUrl(links.get('bob@example.org')!))).status).toBe(200);
    expect(await suppressed()).toEqual([entry]);
  });

  it('refuses a forged token and an altered token with a small page, and suppresses nothing', async () => {
    const forged = new UnsubscribeTokens('someone-elses-secret-0123456789abcdefgh').sign({ newsletterId: firstId, email: 'ann@example.org' });
    const annToken = tokenOf(links.get('ann@example.org')!);
    const middle = Math.floor(annToken.length / 2);
    const altered = `${annToken.slice(0, middle)}${annToken[middle] === 'A' ? 'B' : 'A'}${annToken.slice(middle + 1)}`;
    const cut = annToken.slice(0, 30);
    const base = `${stack.gateway.baseUrl}/unsubscribe`;

    for (const [what, token, status] of [
      ['forged', forged, 403],
      ['altered', altered, 403],
      ['cut', cut, 400],
      ['not a token', 'not-a-token!', 400],
    ] as const) {
      for (const method of ['GET', 'POST']) {
        const res = method === 'POST' ? await oneClick(`${base}/${encodeURIComponent(token)}`) : await fetch(`${base}/${encodeURIComponent(token)}`);
        const html = await res.text();
        expect({ what, method, status: res.status, type: res.headers.get('content-type') }).toEqual({ what, method, status, type: expect.stringMatching(/^text\/html/) });
        expect(html).toContain('not valid');
        expect(html).not.toMatch(/\bat .+\.(js|ts):\d+/);
      }
    }
    // A client asking for JSON gets the API's error shape.
    const json = await oneClick(`${base}/${forged}`, { accept: 'application/json' });
    expect(json.status).toBe(403);
    expect(await json.json()).toEqual({ error: 'forbidden', message: expect.stringContaining('not valid') });

    expect((await suppressed()).map((e) => e.email)).toEqual(['bob@example.org']);
  });

  it('takes the one-click POST as multipart form data too (some mail clients send that)', async () => {
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const res = await fetch(gatewayUrl(links.get('cid@example.org')!), { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect((await suppressed()).map((e) => e.email).sort()).toEqual(['bob@example.org', 'cid@example.org']);
  });

  it('a later newsletter to the same addresses skips the unsubscribed ones (counted suppressed, not received)', async () => {
    const id = await send('Second', first);
    const view = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed');
    expect(view).toMatchObject({ total: 3, sent: 1, suppressed: 2, failed: 0 });
    expect([...(await mailsOf(id)).keys()]).toEqual(['ann@example.org']);
    expect(smtp.deliveriesTo.get('bob@example.org')).toBe(1);
    expect(smtp.deliveriesTo.get('cid@example.org')).toBe(1);
  });

  it('an unsubscribe during a send skips the batches of that newsletter not yet sent', async () => {
    const recipients = Array.from({ length: 30 }, (_, i) => `run${i}@example.org`);
    const last = recipients[29]!;
    // 5 per second: the last batch goes out about 6 s after the first.
    const id = await send('Running', recipients, { batchSize: 3, ratePerSecond: 5 });
    await waitFor(() => smtp.deliveriesTo.has(recipients[0]!), Boolean, { timeoutMs: 30_000, description: 'the first email' });
    expect(smtp.deliveriesTo.has(last)).toBe(false);
    // The recipient's own link (the test holds the deployment's secret, as the sender does).
    const link = `${stack.gateway.baseUrl}/unsubscribe/${tokens.sign({ newsletterId: id, email: last })}`;
    expect((await oneClick(link)).status).toBe(200);

    const view = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed');
    expect(view).toMatchObject({ total: 30, sent: 29, suppressed: 1 });
    expect(smtp.deliveriesTo.has(last)).toBe(false);
  });
});
