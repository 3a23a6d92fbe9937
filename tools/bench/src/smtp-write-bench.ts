import { PassThrough } from 'node:stream';
// The control of this A/B is nodemailer's own SMTP connection, used as the sender used it before.
// eslint-disable-next-line no-restricted-imports
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { OneWriteSmtpConnection, SmtpMailer, DEFAULT_SMTP_POOL } from '@mailroom/mailer';
import { BenchSink } from './bench-sink';
import { median } from './report';
import { benchRecipient, NAME_FIELD, newsletterHtml } from './newsletter-body';

const CONNECTIONS = 5;

/**
 * `npm run bench -- smtp-write`: CPU per email of the SMTP transaction alone (envelope, text,
 * replies), nodemailer's SMTPConnection against the sender's OneWriteSmtpConnection (the text in
 * one write, dot-stuffed with native searches), the same composed bench email to the bench sink
 * over 5 connections, alternating, medians of `runs`. One process: the ratio is what to read.
 */
export async function runSmtpWriteBench(options: { readonly runs: number; readonly count: number }): Promise<void> {
  const sink = await BenchSink.start();
  const composer = new SmtpMailer({ ...DEFAULT_SMTP_POOL, url: sink.url });
  const reader = benchRecipient(1);
  const message = await composer.compose({ from: 'Bench <bench@example.org>', to: reader, subject: 'Benchmark issue', html: newsletterHtml().replace(NAME_FIELD, reader.name) });
  composer.close();
  const kinds = { 'nodemailer SMTPConnection': SMTPConnection, OneWriteSmtpConnection } as const;
  const results = new Map<string, number[]>();
  try {
    for (let run = 0; run < options.runs; run += 1) {
      for (const [label, Connection] of Object.entries(kinds)) {
        const microseconds = await cpuPerEmail(Connection, sink.port, message.raw, options.count);
        results.set(label, [...(results.get(label) ?? []), microseconds]);
        console.log(`[bench] ${label}: ${microseconds.toFixed(1)} µs CPU per email`);
      }
    }
  } finally {
    sink.stop();
  }
  console.log(`\n${options.count.toLocaleString('en-US')} emails of ${message.raw.length.toLocaleString('en-US')} bytes per run, ${CONNECTIONS} connections, sink: ${sink.kind}`);
  for (const [label, values] of results) console.log(`${label}: median ${median(values).toFixed(1)} µs per email (${values.map((v) => v.toFixed(1)).join(', ')})`);
  const [control, ours] = [...results.values()].map(median);
  console.log(`ratio: ${(ours! / control!).toFixed(2)}`);
}

async function cpuPerEmail(Connection: typeof SMTPConnection, port: number, raw: Buffer, count: number): Promise<number> {
  const connections = await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const connection = new Connection({ host: '127.0.0.1', port, logger: false, debug: false });
      await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
      return connection;
    }),
  );
  const started = process.cpuUsage();
  let next = 0;
  await Promise.all(
    connections.map(async (connection) => {
      while (next < count) {
        next += 1;
        // As the sender's pool hands it over: a stream of the composed message.
        const body = new PassThrough();
        body.end(raw);
        await new Promise<void>((resolve, reject) =>
          connection.send({ from: 'bench@example.org', to: ['reader@example.org'] }, body, (error) => (error ? reject(error) : resolve())),
        );
      }
    }),
  );
  const used = process.cpuUsage(started);
  for (const connection of connections) connection.close();
  return (used.user + used.system) / count;
}
