import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { PRIORITIES } from '@mailroom/contracts';
import { EXIT, exitCodeOf, exitCodeOfStatus } from './exit-codes';
import { GatewayClient, GatewayError, type Accepted, type ControlAction, type SendRequest } from './gateway-client';
import { createDisplay } from './progress-display';
import { InputFileError, readRecipients, readTextFile, type RowProblem } from './recipients-file';
import { watchNewsletter } from './watch';

const USAGE = `Usage:
  mailroom send --subject <text> (--html <file> | --text <file>) (--recipients <file> | --list <id>) [options]
  mailroom schedule <time> …the options of send…   (same as send --send-at <time>)
  mailroom test --subject <text> (--html <file> | --text <file>) --to <addr>[,<addr>…] [--from <address>]
  mailroom watch <newsletter id> [--json]
  mailroom pause|resume|cancel <newsletter id>
  mailroom lists [--limit <n>] [--cursor <c>]      the subscriber lists, a page at a time
  mailroom lists create <name> | lists show <list id>
  mailroom import <list id> <file.csv | file.ndjson>

Send options:
  --from <address>          sender ("Name <addr@x.org>" or addr@x.org)
  --send-at <time>          start later: ISO 8601 with its zone, e.g. 2027-01-15T09:00:00Z
  --strict                  refuse the whole file when a row is bad (default: report the row, send the rest)
  --batch-size <n>          recipients per batch (1-1000)
  --rate <n>                at most n emails per second for this newsletter
  --priority <p>            high, normal (default) or low: its share (4, 2, 1) of the capacity your newsletters
                            sent at the same time share; one recipient takes the fast lane whatever this says
  --webhook <url>           POSTed a signed event when the newsletter settles
  --idempotency-key <key>   sending twice with the same key creates one newsletter
  --no-watch                print the id and exit
  --json                    machine-readable output, no progress bar
  --url <url>               gateway (default $MAILROOM_URL or http://localhost:3000)
  --key <key>               API key (default $MAILROOM_API_KEY)

A recipients file is a CSV whose header names an "email" column ("name" optional; every other column
is a merge field, e.g. {{ city }}), or one address per line.

Exit codes: 0 completed (or done), 1 the newsletter failed, 2 completed with failures, 3 cancelled,
4 refused by the gateway (4xx), 5 gateway unreachable or failing (5xx), 6 import done but some rows
rejected, 7 sent but some rows of the recipients file skipped (1, 2 and 3 take precedence over 7),
64 wrong command line, 65 unusable recipients file (nothing sent), 70 unexpected error in the CLI.`;

const OPTIONS = {
  subject: { type: 'string' },
  html: { type: 'string' },
  text: { type: 'string' },
  recipients: { type: 'string' },
  list: { type: 'string' },
  to: { type: 'string' },
  from: { type: 'string' },
  'send-at': { type: 'string' },
  strict: { type: 'boolean', default: false },
  'batch-size': { type: 'string' },
  rate: { type: 'string' },
  priority: { type: 'string' },
  webhook: { type: 'string' },
  'idempotency-key': { type: 'string' },
  'no-watch': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  url: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {
  override readonly name = 'UsageError';
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const apiKey = values.key ?? process.env['MAILROOM_API_KEY'];
  if (!apiKey) throw new UsageError('An API key is needed: --key or MAILROOM_API_KEY');
  const client = new GatewayClient(values.url ?? process.env['MAILROOM_URL'] ?? 'http://localhost:3000', apiKey);

  switch (command) {
    case 'send':
      return send(client, values, values['send-at']);
    case 'schedule':
      if (!args[0]) throw new UsageError('schedule needs a time, e.g. mailroom schedule 2027-01-15T09:00:00Z --subject …');
      return send(client, values, args[0]);
    case 'test':
      return sendTest(client, values);
    case 'watch':
      if (!args[0]) throw new UsageError('watch needs a newsletter id');
      return exitCodeOf(await watchNewsletter(client, args[0], createDisplay({ json: values.json, out: process.stdout })));
    case 'pause':
    case 'resume':
    case 'cancel':
      return control(client, command, args[0], values.json);
    case 'lists':
      return lists(client, args, values);
    case 'import':
      return importFile(client, args);
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

function content(values: Values): Pick<SendRequest, 'subject' | 'html' | 'text' | 'from'> {
  if (!values.subject) throw new UsageError('--subject is required');
  if (!values.html && !values.text) throw new UsageError('--html or --text (a file) is required');
  return {
    subject: values.subject,
    ...(values.html ? { html: readTextFile(values.html) } : {}),
    ...(values.text ? { text: readTextFile(values.text) } : {}),
    ...(values.from ? { from: values.from } : {}),
  };
}

async function send(client: GatewayClient, values: Values, sendAt: string | undefined): Promise<number> {
  const body = content(values);
  if (values.priority !== undefined && !(PRIORITIES as readonly string[]).includes(values.priority)) {
    throw new UsageError(`--priority must be one of ${PRIORITIES.join(', ')}`);
  }
  if (!values.recipients === !values.list) throw new UsageError('Give --recipients (a file) or --list (a subscriber list id), one of the two');
  let audience: Pick<SendRequest, 'recipients' | 'listId'>;
  let count: string;
  let skippedRows = false;
  if (values.list) {
    audience = { listId: values.list };
    count = `list ${values.list}`;
  } else {
    const file = readRecipients(values.recipients!);
    reportProblems(file.problems, values.strict);
    if (file.problems.length > 0 && values.strict) return EXIT.badInput;
    if (file.recipients.length === 0) throw new InputFileError(`${values.recipients} holds no valid recipients`);
    skippedRows = file.problems.length > 0;
    audience = { recipients: file.recipients };
    count = `${file.recipients.length} recipient(s)`;
  }
  const accepted = await client.send(
    {
      ...body,
      ...audience,
      ...(values['batch-size'] ? { batchSize: Number(values['batch-size']) } : {}),
      ...(values.rate ? { ratePerSecond: Number(values.rate) } : {}),
      ...(values.priority ? { priority: values.priority } : {}),
      ...(values.webhook ? { webhookUrl: values.webhook } : {}),
      ...(sendAt ? { sendAt } : {}),
    },
    values['idempotency-key'],
  );
  // A scheduled newsletter settles hours or days from now: report it and stop.
  if (values['no-watch'] || accepted.status === 'scheduled') {
    printAccepted(accepted, values.json, count, sendAt);
    return skippedRows ? EXIT.skippedRows : EXIT.ok;
  }
  if (!values.json) process.stdout.write(`Newsletter ${accepted.id} queued for ${count}\n`);
  const view = await watchNewsletter(client, accepted.id, createDisplay({ json: values.json, out: process.stdout }));
  return exitCodeOf(view, skippedRows);
}

async function sendTest(client: GatewayClient, values: Values): Promise<number> {
  const body = content(values);
  if (!values.to) throw new UsageError('--to is required: one to ten addresses, separated by commas');
  const recipients = values.to.split(',').map((email) => ({ email: email.trim() })).filter((r) => r.email !== '');
  const accepted = await client.sendTest({ ...body, recipients });
  for (const skipped of accepted.skipped ?? []) process.stderr.write(`skipped ${skipped.email}: on the ${skipped.list} suppression list\n`);
  if (values['no-watch']) return printAccepted(accepted, values.json, `${recipients.length} test recipient(s)`);
  if (!values.json) process.stdout.write(`Test send ${accepted.id} queued\n`);
  return exitCodeOf(await watchNewsletter(client, accepted.id, createDisplay({ json: values.json, out: process.stdout })));
}

function printAccepted(accepted: Accepted, json: boolean, count: string, sendAt?: string): number {
  if (json) process.stdout.write(`${JSON.stringify(accepted)}\n`);
  else if (accepted.status === 'scheduled') process.stdout.write(`${accepted.id}\nscheduled for ${sendAt} (${count})\n`);
  else process.stdout.write(`${accepted.id}\n`);
  return EXIT.ok;
}

async function control(client: GatewayClient, action: ControlAction, id: string | undefined, json: boolean): Promise<number> {
  if (!id) throw new UsageError(`${action} needs a newsletter id`);
  const answer = await client.control(id, action);
  process.stdout.write(json ? `${JSON.stringify(answer)}\n` : `${answer.id}: ${answer.status}\n`);
  return EXIT.ok;
}

async function lists(client: GatewayClient, args: readonly string[], values: Values): Promise<number> {
  const [sub, argument] = args;
  let answer: unknown;
  if (sub === undefined) {
    answer = await client.listLists({
      ...(values.limit !== undefined ? { limit: Number(values.limit) } : {}),
      ...(values.cursor !== undefined ? { cursor: values.cursor } : {}),
    });
  } else if (sub === 'create') {
    if (!argument) throw new UsageError('lists create needs a name');
    answer = await client.createList(argument);
  } else if (sub === 'show') {
    if (!argument) throw new UsageError('lists show needs a list id');
    answer = await client.getList(argument);
  } else throw new UsageError(`Unknown lists command "${sub}": use lists, lists create <name> or lists show <id>`);
  process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  return EXIT.ok;
}

async function importFile(client: GatewayClient, args: readonly string[]): Promise<number> {
  const [listId, path] = args;
  if (!listId || !path) throw new UsageError('import needs a list id and a file: mailroom import <list id> <file.csv>');
  const report = (await client.importFile(listId, path)) as { rejected?: number };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return (report.rejected ?? 0) > 0 ? EXIT.importRejectedRows : EXIT.ok;
}

const SHOWN_PROBLEMS = 20;

/** Each bad row on stderr (the first 20, then how many more), so the sender knows who was left out. */
function reportProblems(problems: readonly RowProblem[], strict: boolean): void {
  if (problems.length === 0) return;
  const verb = strict ? 'refused (--strict: nothing sent)' : 'skipped';
  process.stderr.write(`${problems.length} row(s) ${verb}:\n`);
  for (const problem of problems.slice(0, SHOWN_PROBLEMS)) process.stderr.write(`  line ${problem.line}: ${problem.reason}\n`);
  if (problems.length > SHOWN_PROBLEMS) process.stderr.write(`  … and ${problems.length - SHOWN_PROBLEMS} more\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exit(EXIT.usage);
    }
    if (error instanceof InputFileError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT.badInput);
    }
    if (error instanceof GatewayError) {
      process.stderr.write(`Error${error.status ? ` ${error.status}` : ''}: ${error.message}${error.field ? ` (field ${error.field})` : ''}\n`);
      process.exit(exitCodeOfStatus(error.status));
    }
    process.stderr.write(`Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT.internal);
  },
);
