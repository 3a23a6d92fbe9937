import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink } from '@mailroom/testing';

jest.setTimeout(240_000);

const SMTP_CONNECTIONS = 5;

/**
 * Kill a sender for real in the middle of a newsletter (two senders running): kill -9 (no shutdown
 * hook runs) and SIGTERM (graceful). Nothing may be lost; duplicates are bounded by the SMTP
 * transactions the killed process had in flight.
 */
describe('a sender dies mid-send', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    // 4 ms per message keeps a 5,000-recipient newsletter running long enough to act mid-send.
    smtp = await SmtpSink.start({ latencyMs: 4, keepMessages: false });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      senders: 2,
      // A short ack wait: the killed sender's batches come back within seconds.
      serviceEnv: { sender: { ACK_WAIT_MS: '3000', SMTP_MAX_CONNECTIONS: String(SMTP_CONNECTIONS), SHUTDOWN_TIMEOUT_MS: '20000' } },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  const send = async (prefix: string, count: number) => {
    const recipients = Array.from({ length: count }, (_, i) => `${prefix}${i}@example.org`);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: prefix, text: 'Hello', recipients, batchSize: 50 },
    });
    expect(res.status).toBe(202);
    return { id: res.body.id, recipients };
  };

  const deliveriesOf = (recipients: string[]) => recipients.map((r) => smtp.deliveriesTo.get(r) ?? 0);

  it('kill -9: every recipient gets the newsletter, duplicates stay within the in-flight bound', async () => {
    const { id, recipients } = await send('crash', 5_000);
    const before = smtp.acceptedTotal;
    await smtp.waitForMessages(before + 1_500, 60_000);
    const victim = stack.senders[0]!;
    await victim.kill();
    const atKill = smtp.acceptedTotal - before;
    await stack.addSender({ ACK_WAIT_MS: '3000', SMTP_MAX_CONNECTIONS: String(SMTP_CONNECTIONS) });

    const view = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed', 120_000);
    const counts = deliveriesOf(recipients);
    const duplicates = counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    process.stdout.write(
      `kill -9 after ${atKill} of 5000 accepted: ${duplicates} duplicate(s) (bound ${SMTP_CONNECTIONS}), 0 lost\n`,
    );
    expect(counts.every((n) => n >= 1)).toBe(true);
    expect(duplicates).toBeLessThanOrEqual(SMTP_CONNECTIONS);
    expect(view).toMatchObject({ total: 5_000, sent: 5_000, failed: 0, pending: 0 });
  });

  it('SIGTERM: the sender finishes what it holds, exits 0, and nothing is sent twice', async () => {
    const { id, recipients } = await send('drain', 3_000);
    const before = smtp.acceptedTotal;
    await smtp.waitForMessages(before + 800, 60_000);
    const leaving = stack.senders.find((s) => s.running)!;
    const exit = await leaving.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(leaving.output.some((line) => line.includes('Shutdown complete'))).toBe(true);

    const view = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed', 120_000);
    const counts = deliveriesOf(recipients);
    process.stdout.write(`SIGTERM mid-send: ${counts.filter((n) => n > 1).length} duplicate(s)\n`);
    expect(counts.every((n) => n === 1)).toBe(true);
    expect(view).toMatchObject({ total: 3_000, sent: 3_000, failed: 0 });
  });
});
