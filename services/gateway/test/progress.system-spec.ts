import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, waitFor } from '@mailroom/testing';

jest.setTimeout(120_000);

/**
 * Progress moves while a batch is being sent (real processes, a slow SMTP server): with batches
 * of 500 at about 200 emails a second, GET shows counts between batch boundaries, changing at
 * least every BATCH_PROGRESS_INTERVAL_MS (1 s by default) plus the time to count it.
 */
describe('progress while a batch is sent (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ keepMessages: false, latencyMs: 10 });
    stack = await MailroomStack.start({ smtpUrl: smtp.url, serviceEnv: { sender: { SMTP_MAX_CONNECTIONS: '2' } } });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  it('advances every second, not a batch at a time, and ends with the exact counts', async () => {
    const recipients = Array.from({ length: 1_000 }, (_, i) => `step${i}@example.org`);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Steps', text: 'Hello', recipients, batchSize: 500 },
    });
    expect(res.status).toBe(202);
    const seen: Array<{ at: number; sent: number; status: string }> = [];
    const done = await waitFor(
      async () => {
        const view = (await stack.request<NewsletterView>('GET', `/v1/newsletters/${res.body.id}`)).body;
        seen.push({ at: Date.now(), sent: view.sent, status: view.status });
        return view;
      },
      (v) => v.status === 'completed',
      { timeoutMs: 60_000, intervalMs: 100, description: 'the newsletter to complete' },
    );
    expect(done).toMatchObject({ sent: 1_000, failed: 0, pending: 0 });

    // Counts between batch boundaries were shown, and only ever went up.
    const values = seen.map((s) => s.sent);
    expect(values.some((n) => n % 500 !== 0)).toBe(true);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    // While sending, the shown count never stood still much longer than the reporting interval.
    const changes = seen.filter((s, i) => i === 0 || s.sent !== seen[i - 1]!.sent);
    const sendingChanges = changes.filter((c) => c.sent > 0);
    const gaps = sendingChanges.slice(1).map((c, i) => c.at - sendingChanges[i]!.at);
    const longest = Math.max(...gaps);
    process.stdout.write(`progress: ${changes.length} distinct counts shown, longest wait between changes ${longest} ms\n`);
    expect(longest).toBeLessThanOrEqual(2_500);
  });
});
