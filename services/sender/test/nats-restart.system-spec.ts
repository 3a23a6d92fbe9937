import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, NatsServerProcess, SmtpSink } from '@mailroom/testing';

jest.setTimeout(240_000);

/**
 * The test runs its own nats-server (own port, own store) so it can restart it in the middle of
 * a newsletter. Every service must reconnect by itself and carry on; nothing may be lost.
 */
describe('NATS restarts mid-send', () => {
  let nats: NatsServerProcess;
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    nats = await NatsServerProcess.start();
    smtp = await SmtpSink.start({ latencyMs: 4, keepMessages: false });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      natsUrl: nats.url,
      senders: 2,
      keepNamespace: true,
      serviceEnv: { sender: { ACK_WAIT_MS: '5000' } },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    await nats?.destroy();
  });

  it('completes the newsletter after NATS comes back, with nobody left out', async () => {
    const recipients = Array.from({ length: 3_000 }, (_, i) => `restart${i}@example.org`);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Restart', text: 'Hello', recipients, batchSize: 50 },
    });
    expect(res.status).toBe(202);

    await smtp.waitForMessages(800, 60_000);
    const stoppedAt = Date.now();
    await nats.stop();
    const atStop = smtp.acceptedTotal;
    await nats.startAgain();
    const downMs = Date.now() - stoppedAt;

    // Every service reports ready again on its own.
    for (const service of stack.all) await service.waitUntilReady(30_000);
    const view = await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed', 150_000);

    const counts = recipients.map((r) => smtp.deliveriesTo.get(r) ?? 0);
    const duplicates = counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    process.stdout.write(
      `NATS restart after ${atStop} of 3000 accepted (down ${downMs} ms): ${counts.filter((n) => n === 0).length} lost, ${duplicates} duplicate(s)\n`,
    );
    expect(counts.every((n) => n >= 1)).toBe(true);
    expect(view).toMatchObject({ total: 3_000, sent: 3_000, failed: 0, pending: 0 });
  });
});
