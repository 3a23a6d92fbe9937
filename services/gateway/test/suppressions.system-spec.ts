import type { NewsletterView, SuppressionEntry } from '@mailroom/contracts';
import { MailroomStack, SmtpSink } from '@mailroom/testing';

jest.setTimeout(180_000);

interface Page {
  items: SuppressionEntry[];
  next: number | null;
}

describe('suppression list API (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    stack = await MailroomStack.start({ smtpUrl: smtp.url });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  const add = (body: unknown) => stack.request<SuppressionEntry & { error?: string; field?: string }>('POST', '/v1/suppressions', { body });
  const remove = (email: string) => stack.request('DELETE', `/v1/suppressions/${encodeURIComponent(email)}`);
  async function all(limit: number): Promise<{ pages: Page[]; emails: string[] }> {
    const pages: Page[] = [];
    let after = 0;
    for (;;) {
      const res = await stack.request<Page>('GET', `/v1/suppressions?limit=${limit}&after=${after}`);
      expect(res.status).toBe(200);
      pages.push(res.body);
      if (res.body.next === null) break;
      after = res.body.next;
    }
    return { pages, emails: pages.flatMap((p) => p.items.map((i) => i.email)) };
  }

  it('is empty at first, and answers at once', async () => {
    const started = Date.now();
    const res = await stack.request<Page>('GET', '/v1/suppressions');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], next: null });
    expect(Date.now() - started).toBeLessThan(800);
  });

  it('adds an address (normalised, reason manual by default, the API key as source) with 201', async () => {
    const res = await add({ email: ' Zed@Example.ORG ' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ email: 'Zed@example.org', reason: 'manual', source: 'api:test', at: expect.any(String) });
  });

  it('keeps the first entry when the address is added again (200 with it)', async () => {
    const res = await add({ email: 'zed@example.org'.replace('zed', 'Zed'), reason: 'bounced' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: 'Zed@example.org', reason: 'manual' });
  });

  it.each([
    [{ email: 'not-an-address' }, 'email'],
    [{ email: 'Eve <eve@example.org>' }, 'email'],
    [{}, 'email'],
    [{ email: 'a@example.org', reason: 'annoyed' }, 'reason'],
    [{ email: 'a@example.org', extra: 1 }, 'extra'],
  ])('refuses %j with 400 naming the field', async (body, field) => {
    const res = await add(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'validation_failed', field });
  });

  it('lists every address page by page (?limit&after), in the order they were added', async () => {
    const added = ['p1@example.org', 'p2@example.org', 'p3@example.org', 'p4@example.org', 'p5@example.org'];
    for (const [i, email] of added.entries()) {
      expect((await add({ email, reason: (['unsubscribed', 'bounced', 'complained', 'manual'] as const)[i % 4] })).status).toBe(201);
    }
    const { pages, emails } = await all(2);
    expect(emails).toEqual(['Zed@example.org', ...added]);
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2]);
    expect(pages[0]!.items[1]).toMatchObject({ email: 'p1@example.org', reason: 'unsubscribed' });
  });

  it('deletes an address (204), then 404; an invalid one is a 400', async () => {
    expect((await remove('p2@example.org')).status).toBe(204);
    expect((await remove('p2@example.org')).status).toBe(404);
    expect((await remove('never@example.org')).status).toBe(404);
    const bad = await remove('not an address');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'email' });
    expect((await all(100)).emails).not.toContain('p2@example.org');
  });

  it('requires an API key', async () => {
    expect((await stack.request('GET', '/v1/suppressions', { apiKey: null })).status).toBe(401);
    expect((await stack.request('POST', '/v1/suppressions', { apiKey: null, body: { email: 'x@example.org' } })).status).toBe(401);
    expect((await stack.request('DELETE', '/v1/suppressions/x%40example.org', { apiKey: null })).status).toBe(401);
  });

  it('a newsletter skips a manually suppressed address; once deleted, the address is reached again', async () => {
    expect((await add({ email: 'manual@example.org' })).status).toBe(201);
    const send = async () => {
      const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
        body: { subject: 'Hi', text: 'Hello', recipients: ['manual@example.org', 'other@example.org'] },
      });
      return stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed');
    };
    expect(await send()).toMatchObject({ total: 2, sent: 1, suppressed: 1 });
    expect(smtp.deliveriesTo.has('manual@example.org')).toBe(false);

    expect((await remove('manual@example.org')).status).toBe(204);
    expect(await send()).toMatchObject({ total: 2, sent: 2, suppressed: 0 });
    expect(smtp.deliveriesTo.get('manual@example.org')).toBe(1);
  });
});
