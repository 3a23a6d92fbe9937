import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GatewayClient, GatewayError } from './gateway-client';
import { createDisplay } from './progress-display';
import { readRecipients } from './recipients-file';
import { exitCodeOf, watchNewsletter } from './watch';

const USAGE = `Usage:
  mailroom send --subject <text> (--html <file> | --text <file>) --recipients <file.csv> [options]
  mailroom watch <newsletter id> [--json]

Options:
  --from <address>          sender ("Name <addr@x.org>" or addr@x.org)
  --batch-size <n>          recipients per batch (1-1000)
  --rate <n>                at most n emails per second for this newsletter
  --webhook <url>           POSTed a signed event when the newsletter settles
  --idempotency-key <key>   sending twice with the same key creates one newsletter
  --no-watch                print the id and exit (send)
  --json                    machine-readable output, no progress bar
  --url <url>               gateway (default $MAILROOM_URL or http://localhost:3000)
  --key <key>               API key (default $MAILROOM_API_KEY)

Exit codes: 0 completed, 2 completed with failures, 1 failed or error.`;

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      subject: { type: 'string' },
      html: { type: 'string' },
      text: { type: 'string' },
      recipients: { type: 'string' },
      from: { type: 'string' },
      'batch-size': { type: 'string' },
      rate: { type: 'string' },
      webhook: { type: 'string' },
      'idempotency-key': { type: 'string' },
      'no-watch': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      url: { type: 'string' },
      key: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, id] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 1;
  }
  const apiKey = values.key ?? process.env['MAILROOM_API_KEY'];
  if (!apiKey) throw new UsageError('An API key is needed: --key or MAILROOM_API_KEY');
  const client = new GatewayClient(values.url ?? process.env['MAILROOM_URL'] ?? 'http://localhost:3000', apiKey);
  const display = createDisplay({ json: values.json, out: process.stdout });

  if (command === 'watch') {
    if (!id) throw new UsageError('watch needs a newsletter id');
    return exitCodeOf(await watchNewsletter(client, id, display));
  }
  if (command !== 'send') throw new UsageError(`Unknown command "${command}"`);
  if (!values.subject) throw new UsageError('--subject is required');
  if (!values.html && !values.text) throw new UsageError('--html or --text (a file) is required');
  if (!values.recipients) throw new UsageError('--recipients (a CSV file with an "email" column, or one address per line) is required');
  const recipients = readRecipients(values.recipients);
  if (recipients.length === 0) throw new UsageError(`${values.recipients} holds no recipients`);

  const accepted = await client.send(
    {
      subject: values.subject,
      ...(values.html ? { html: readFileSync(values.html, 'utf8') } : {}),
      ...(values.text ? { text: readFileSync(values.text, 'utf8') } : {}),
      ...(values.from ? { from: values.from } : {}),
      recipients,
      ...(values['batch-size'] ? { batchSize: Number(values['batch-size']) } : {}),
      ...(values.rate ? { ratePerSecond: Number(values.rate) } : {}),
      ...(values.webhook ? { webhookUrl: values.webhook } : {}),
    },
    values['idempotency-key'],
  );
  if (values['no-watch']) {
    process.stdout.write(values.json ? `${JSON.stringify(accepted)}\n` : `${accepted.id}\n`);
    return 0;
  }
  if (!values.json) process.stdout.write(`Newsletter ${accepted.id} queued for ${recipients.length} recipient(s)\n`);
  return exitCodeOf(await watchNewsletter(client, accepted.id, display));
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    else if (error instanceof GatewayError) {
      process.stderr.write(`Error ${error.status || ''}: ${error.message}${error.field ? ` (field ${error.field})` : ''}\n`.replace('Error : ', 'Error: '));
    } else process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
