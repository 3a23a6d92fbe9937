// The baseline is nodemailer used directly, as a team would without Mailroom: the one place outside libs/mailer.
// eslint-disable-next-line no-restricted-imports
import nodemailer from 'nodemailer';
import { SmtpMailer, type OutgoingEmail } from '@mailroom/mailer';
import { benchRecipient, NAME_FIELD, newsletterHtml } from './newsletter-body';

/**
 * The two ways of sending straight to the sink without the pipeline:
 * - `nodemailer`: the baseline of the issue, what a team would write by hand: one process, a
 *   pooled nodemailer transport with 10 connections, `sendMail` per recipient (nodemailer
 *   composes the MIME).
 * - `mailer`: Mailroom's own mailer library used directly (our MIME writer and connection pool,
 *   10 connections): the ceiling for the pipeline, which sends through the same code.
 */
export type BaselineKind = 'nodemailer' | 'mailer';

const CONCURRENT_SENDS = 100; // the 10 connections always busy, memory flat

/** Sends `count` personalised emails as fast as it can; prints duration, CPU and peak RSS as JSON. */
export async function runBaseline(kind: BaselineKind, url: string, count: number): Promise<void> {
  const send = kind === 'nodemailer' ? nodemailerSender(url) : mailerSender(url);
  const template = newsletterHtml();
  const started = Date.now();
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT_SENDS }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        const reader = benchRecipient(i);
        const ok = await send.one({
          from: 'Bench <bench@example.org>',
          to: reader,
          subject: 'Benchmark issue',
          // The same personalisation the pipeline does (names here need no HTML escaping).
          html: template.replace(NAME_FIELD, reader.name),
          headers: {
            'X-Mailroom-Newsletter-Id': 'baseline',
            'List-Unsubscribe': `<https://mail.example.org/u/${i}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        });
        if (!ok) failed += 1;
      }
    }),
  );
  send.close();
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

interface DirectSender {
  one(email: OutgoingEmail): Promise<boolean>;
  close(): void;
}

function nodemailerSender(url: string): DirectSender {
  const { hostname, port } = new URL(url);
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 10,
    maxMessages: Infinity,
    host: hostname,
    port: Number(port),
    secure: false,
    ignoreTLS: true,
  });
  return {
    one: async (email) => {
      try {
        const info = await transport.sendMail({
          from: email.from,
          to: { name: email.to.name ?? '', address: email.to.email },
          subject: email.subject,
          html: email.html,
          headers: { ...email.headers },
        });
        return info.rejected.length === 0;
      } catch {
        return false;
      }
    },
    close: () => transport.close(),
  };
}

function mailerSender(url: string): DirectSender {
  const mailer = new SmtpMailer({
    url,
    maxConnections: 10,
    maxMessages: Infinity,
    connectionTimeoutMs: 10_000,
    greetingTimeoutMs: 10_000,
    socketTimeoutMs: 60_000,
    dataTimeoutMs: 600_000,
  });
  return {
    one: async (email) => (await mailer.send(email)).kind === 'accepted',
    close: () => mailer.close(),
  };
}
