import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Events, eventSubject, topology, type NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, TEST_API_KEY, TEST_NATS_URL, waitFor } from '@mailroom/testing';
import type { ParsedMail } from 'mailparser';
import { GrpcTestClient, bearer } from './support/grpc-client';
import { oneClick, throughGateway, unsubscribeLinkOf } from './support/unsubscribe-links';

jest.setTimeout(180_000);

const PUBLIC_BASE_URL = 'https://mail.mailroom.test';
const UNSUBSCRIBE_SECRET = 'engagement-e2e-secret-0123456789abcdefgh';
const HTML =
  '<html><body><p>Hi {{ name }}</p>' +
  '<a href="https://shop.example.com/sale?utm=news&amp;id={{ id }}">Sale</a> ' +
  "<a class='btn' href='http://example.org/plain'>Plain</a> " +
  '<a href="mailto:help@example.com">Mail us</a> <a href="#top">Top</a> ' +
  '<a href="{{ unsubscribe_url }}">Unsubscribe</a></body></html>';

type EngagementView = NewsletterView;
type Recipient = { email: string; name: string; vars: { id: string } };

const ANN_AND_BOB: readonly Recipient[] = [
  { email: 'ann@example.org', name: 'Ann', vars: { id: 'a1' } },
  { email: 'bob@example.org', name: 'Bob', vars: { id: 'b2' } },
];

const toOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? '';
const hrefsOf = (html: string) => [...html.matchAll(/href=["']([^"']+)["']/g)].map((m) => m[1]!);
const pixelOf = (html: string) => /<img src="([^"]+)" width="1" height="1"/.exec(html)?.[1];

/**
 * Open and click tracking end to end (real processes, real SMTP sink): the sender rewrites the
 * links and adds the pixel, the gateway answers them, the tracker counts.
 */
describe('open and click tracking (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let nc: NatsConnection;
  let grpcPort: number;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    smtp = await SmtpSink.start();
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      env: { UNSUBSCRIBE_SECRET },
      serviceEnv: { sender: { PUBLIC_BASE_URL } },
    });
    grpcPort = stack.gateway.grpcPort!;
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    await nc?.close();
  });

  async function send(subject: string, extra: Record<string, unknown>, recipients: readonly Recipient[] = ANN_AND_BOB): Promise<{ id: string; mails: Map<string, ParsedMail> }> {
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body: { subject, html: HTML, recipients, ...extra } });
    expect(res.status).toBe(202);
    await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed');
    const parsed = (await smtp.parsed()).filter((m) => m.headers.get('x-mailroom-newsletter-id') === res.body.id);
    return { id: res.body.id, mails: new Map(parsed.map((m) => [toOf(m), m])) };
  }

  const view = async (id: string) => (await stack.request<EngagementView>('GET', `/v1/newsletters/${id}`)).body;
  const follow = (link: string) => fetch(throughGateway(link, stack.gateway.baseUrl), { redirect: 'manual' });

  it('rewrites http(s) links and adds a pixel; a link redirects to its original URL; 2 opens and 2 clicks count 1 open, 1 click, 2 clicks', async () => {
    const { id, mails } = await send('Tracked', { tracking: { opens: true, clicks: true } });
    const ann = mails.get('ann@example.org')!;
    const html = String(ann.html);
    const hrefs = hrefsOf(html);
    const tracked = hrefs.filter((h) => h.startsWith(`${PUBLIC_BASE_URL}/c/`));
    // The two web links are tracked; mailto, the anchor and the unsubscribe link are not.
    expect(tracked).toHaveLength(2);
    expect(hrefs).toEqual(expect.arrayContaining(['mailto:help@example.com', '#top', expect.stringMatching(`^${PUBLIC_BASE_URL}/unsubscribe/`)]));
    expect(html).not.toContain('shop.example.com');
    // No readable address in any tracking URL.
    expect([...tracked, pixelOf(html)!].some((u) => /ann|example\.org/.test(u.slice(PUBLIC_BASE_URL.length)))).toBe(false);
    expect(pixelOf(html)).toMatch(new RegExp(`^${PUBLIC_BASE_URL}/o/`));
    // Each recipient gets their own links (personalised URL, own token).
    expect(hrefsOf(String(mails.get('bob@example.org')!.html)).filter((h) => h.startsWith(`${PUBLIC_BASE_URL}/c/`))).not.toEqual(tracked);

    const first = await follow(tracked[0]!);
    expect(first.status).toBe(302);
    // Exactly the URL the newsletter linked to, merge field rendered and &amp; decoded.
    expect(first.headers.get('location')).toBe('https://shop.example.com/sale?utm=news&id=a1');
    const second = await follow(tracked[0]!);
    expect([second.status, second.headers.get('location')]).toEqual([302, 'https://shop.example.com/sale?utm=news&id=a1']);

    for (let i = 0; i < 2; i += 1) {
      const pixel = await follow(pixelOf(html)!);
      expect(pixel.status).toBe(200);
      expect(pixel.headers.get('content-type')).toBe('image/gif');
      expect(pixel.headers.get('cache-control')).toContain('no-store');
      expect((await pixel.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }

    const counted = await waitFor(() => view(id), (v) => v.clicksTotal === 2 && v.opens === 1, { timeoutMs: 30_000, description: 'the opens and clicks counted' });
    expect(counted).toMatchObject({ opens: 1, clicks: 1, clicksTotal: 2, machineOpens: 0 });

    // The subscriber export (GDPR Art. 15) says when Ann first opened and clicked; Bob did neither.
    type Delivery = { newsletterId: string; state: string; openedAt?: string; clickedAt?: string };
    const deliveryOf = async (email: string) =>
      (await stack.request<{ deliveries: Delivery[] }>('GET', `/v1/subscribers/${encodeURIComponent(email)}`)).body.deliveries.find((d) => d.newsletterId === id);
    const annExported = await deliveryOf('ann@example.org');
    expect(annExported).toMatchObject({ state: 'accepted', openedAt: expect.any(String), clickedAt: expect.any(String) });
    expect(Date.parse(annExported!.openedAt!)).toBeGreaterThan(Date.parse(counted.createdAt));
    const bobExported = await deliveryOf('bob@example.org');
    expect(bobExported).toMatchObject({ state: 'accepted' });
    expect(bobExported).not.toHaveProperty('openedAt');
    expect(bobExported).not.toHaveProperty('clickedAt');
    const client = new GrpcTestClient(`127.0.0.1:${grpcPort}`);
    try {
      const exported = await client.callLists<{ deliveries: Delivery[] }>('ExportSubscriber', { email: 'ann@example.org' }, bearer(TEST_API_KEY));
      expect(exported.deliveries.find((d) => d.newsletterId === id)).toMatchObject({ openedAt: annExported!.openedAt, clickedAt: annExported!.clickedAt });
    } finally {
      client.close();
    }
  });

  it('never redirects a tampered token (404, a page), and an invalid pixel counts nothing', async () => {
    const { id, mails } = await send('Tampered', { tracking: { opens: true, clicks: true } });
    const html = String(mails.get('bob@example.org')!.html);
    const link = hrefsOf(html).find((h) => h.startsWith(`${PUBLIC_BASE_URL}/c/`))!;
    const at = link.length - 10;
    const tampered = link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1);
    const res = await follow(tampered);
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toContain('text/html');
    const pixel = pixelOf(html)!;
    const badPixel = await follow(`${pixel.slice(0, -4)}AAAA`);
    expect(badPixel.status).toBe(200);
    // A valid open afterwards is counted: the invalid one before it was not.
    await follow(pixel);
    const counted = await waitFor(() => view(id), (v) => v.opens === 1, { timeoutMs: 30_000, description: 'the valid open counted' });
    expect(counted).toMatchObject({ opens: 1, clicks: 0, clicksTotal: 0 });
  });

  it('leaves an untracked newsletter exactly as written: no rewritten link, no pixel', async () => {
    const { id, mails } = await send('Untracked', {});
    const html = String(mails.get('ann@example.org')!.html);
    expect(hrefsOf(html)).toEqual(expect.arrayContaining(['https://shop.example.com/sale?utm=news&amp;id=a1', 'http://example.org/plain']));
    expect(html).not.toContain(`${PUBLIC_BASE_URL}/c/`);
    expect(pixelOf(html)).toBeUndefined();
    expect(await view(id)).toMatchObject({ opens: 0, clicks: 0, clicksTotal: 0 });
  });

  it('counts clicks per link (each recipient once per link), an unsubscribe once however often it is asked for, and an open by a listed user agent as a machine open', async () => {
    const recipients = [
      { email: 'cal@example.org', name: 'Cal', vars: { id: 'c3' } },
      { email: 'dee@example.org', name: 'Dee', vars: { id: 'd4' } },
    ];
    const { id, mails } = await send('Per link', { tracking: { opens: true, clicks: true } }, recipients);
    const linksOf = (email: string) => {
      const [sale, plain] = hrefsOf(String(mails.get(email)!.html)).filter((h) => h.startsWith(`${PUBLIC_BASE_URL}/c/`));
      return { sale: sale!, plain: plain! };
    };
    const cal = linksOf('cal@example.org');
    const dee = linksOf('dee@example.org');
    // Cal: the sale twice, the plain link once; Dee: the plain link twice.
    for (const link of [cal.sale, cal.sale, cal.plain, dee.plain, dee.plain]) expect((await follow(link)).status).toBe(302);
    const clicked = await waitFor(() => view(id), (v) => v.clicksTotal === 5, { timeoutMs: 30_000, description: 'the five clicks counted' });
    expect(clicked).toMatchObject({ clicks: 2, clicksTotal: 5 });
    expect(clicked.links).toEqual([
      { url: 'http://example.org/plain', clicks: 3, recipients: 2 },
      { url: 'https://shop.example.com/sale?utm=news&id=c3', clicks: 2, recipients: 1 },
    ]);

    // A one-click unsubscribe counts once: asked for again (the address is suppressed already), nothing is published.
    const unsubscribe = throughGateway(unsubscribeLinkOf(mails.get('cal@example.org')!), stack.gateway.baseUrl);
    expect((await oneClick(unsubscribe)).status).toBe(200);
    await waitFor(() => view(id), (v) => v.unsubscribes === 1, { timeoutMs: 30_000, description: 'the unsubscribe counted' });
    expect((await oneClick(unsubscribe)).status).toBe(200);
    expect((await oneClick(throughGateway(unsubscribeLinkOf(mails.get('dee@example.org')!), stack.gateway.baseUrl))).status).toBe(200);
    const unsubscribed = await waitFor(() => view(id), (v) => v.unsubscribes === 2, { timeoutMs: 30_000, description: 'the second recipient’s unsubscribe counted' });
    expect(unsubscribed.unsubscribes).toBe(2);
    const t = topology(stack.namespace);
    const subject = eventSubject(t, Events.UnsubscribeRecorded);
    const events = await (await jetstreamManager(nc)).streams.info(t.streams.events, { subjects_filter: subject });
    expect(events.state.subjects?.[subject]).toBe(2);

    // An open by a mail security scanner (in the default MACHINE_OPEN_USER_AGENTS) is a machine open; Cal's own is an open.
    const pixel = throughGateway(pixelOf(String(mails.get('cal@example.org')!.html))!, stack.gateway.baseUrl);
    expect((await fetch(pixel, { headers: { 'user-agent': 'Barracuda Sentinel (EE)' } })).status).toBe(200);
    const scanned = await waitFor(() => view(id), (v) => v.machineOpens === 1, { timeoutMs: 30_000, description: 'the machine open counted' });
    expect(scanned).toMatchObject({ opens: 0, machineOpens: 1 });
    expect((await fetch(pixel, { headers: { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko)' } })).status).toBe(200);
    const read = await waitFor(() => view(id), (v) => v.opens === 1, { timeoutMs: 30_000, description: 'the reader’s open counted' });
    expect(read).toMatchObject({ opens: 1, machineOpens: 1, unsubscribes: 2, clicks: 2, clicksTotal: 5 });

    const metrics = await (await fetch(`${stack.tracker.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/mailroom_engagement_total\{kind="unsubscribe",unique="true"\} 2\b/);
  });

  it('refuses a tracking flag that is not a boolean, naming the field', async () => {
    const res = await stack.request<{ field: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Bad', html: HTML, recipients: ['x@example.org'], tracking: { opens: 'yes' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('tracking.opens');
  });
});
