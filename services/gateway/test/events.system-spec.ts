import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, TEST_API_KEY } from '@mailroom/testing';

jest.setTimeout(120_000);

interface ServerSentEvent {
  readonly event: string;
  readonly data: NewsletterView;
}

/** Reads a text/event-stream response to its end. */
async function readEvents(response: Response): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  const text = await response.text();
  for (const block of text.split('\n\n')) {
    const event = /^event: (.+)$/m.exec(block)?.[1];
    const data = /^data: (.+)$/m.exec(block)?.[1];
    if (event && data) events.push({ event, data: JSON.parse(data) as NewsletterView });
  }
  return events;
}

describe('GET /v1/newsletters/:id/events (server-sent events)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ keepMessages: false, latencyMs: 5 });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      serviceEnv: { gateway: { WATCH_POLL_INTERVAL_MS: '100' }, sender: { SMTP_MAX_CONNECTIONS: '2' } },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  it('streams progress until the newsletter settles, then ends', async () => {
    const recipients = Array.from({ length: 600 }, (_, i) => `sse${i}@example.org`);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Streamed', text: 'Hello', recipients, batchSize: 50 },
    });
    const stream = await fetch(`${stack.gateway.baseUrl}/v1/newsletters/${res.body.id}/events`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const events = await readEvents(stream);

    expect(events.length).toBeGreaterThan(2);
    expect(events.slice(0, -1).every((e) => e.event === 'progress')).toBe(true);
    const last = events[events.length - 1]!;
    expect(last).toMatchObject({ event: 'settled', data: { status: 'completed', sent: 600, pending: 0 } });
    // Progress only moves forward.
    const sent = events.map((e) => e.data.sent);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
  });

  it('answers 404 in the usual error shape for an unknown newsletter', async () => {
    const res = await fetch(`${stack.gateway.baseUrl}/v1/newsletters/00000000-0000-4000-8000-000000000000/events`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });
});
