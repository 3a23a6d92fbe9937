import { SmtpMailer } from '@mailroom/mailer';
import { newsletterHtml } from './newsletter-body';

/**
 * The baseline: one process sending the same messages straight to the sink through a pooled
 * nodemailer transport with 10 connections, as fast as it can. Prints its duration as JSON.
 */
export async function runBaseline(url: string, count: number): Promise<void> {
  const mailer = new SmtpMailer({
    url,
    maxConnections: 10,
    maxMessages: Infinity,
    connectionTimeoutMs: 10_000,
    greetingTimeoutMs: 10_000,
    socketTimeoutMs: 60_000,
  });
  const html = newsletterHtml();
  const started = Date.now();
  let next = 0;
  let failed = 0;
  // 100 sends queued at a time: the pool's 10 connections are always busy, memory stays flat.
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        const outcome = await mailer.send({
          from: 'Bench <bench@example.org>',
          to: { email: `reader${i}@example.org`, name: `Reader ${i}` },
          subject: 'Benchmark issue',
          html,
          headers: { 'X-Mailroom-Newsletter-Id': 'baseline' },
        });
        if (outcome.kind !== 'accepted') failed += 1;
      }
    }),
  );
  mailer.close();
  const cpu = process.cpuUsage();
  process.stdout.write(
    `${JSON.stringify({
      count,
      failed,
      durationMs: Date.now() - started,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    })}\n`,
  );
}
