import { Readable } from 'node:stream';
import { MailroomStack, SmtpSink, freePort } from '@mailroom/testing';
import { streamUpload } from './support/stream-upload';

jest.setTimeout(300_000);

interface ImportResult {
  accepted: number;
  rejected: number;
  duplicates: number;
  dataLines: number;
  blankLines: number;
  rejections: Array<{ line: number; reason: string }>;
  subscribers: number;
}
interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

/**
 * Issue 16 as a list owner meets it, through the HTTP API of real processes: imports account for
 * every line, non-UTF-8 is refused or decoded by its declared charset.
 */
describe('audiences: imports account for every line (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ keepMessages: true });
    stack = await MailroomStack.start({ smtpUrl: smtp.url, serviceEnv: { gateway: { GRPC_PORT: String(await freePort()) } } });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  const newList = async (name: string) => (await stack.request<{ id: string }>('POST', '/v1/lists', { body: { name } })).body.id;
  const upload = (listId: string, body: string | Buffer, contentType = 'text/csv') =>
    streamUpload<ImportResult & ErrorBody>(`${stack.gateway.baseUrl}/v1/lists/${listId}/subscribers`, Readable.from([Buffer.from(body)]), contentType);

  it("costs an unclosed quote its own line only (the issue's six-line file)", async () => {
    const id = await newList('six lines');
    const csv = ['email,name,city', 'ann@example.org,Ann,Oslo', '"broken@example.org,Broken,Oslo', 'bo@example.org,Bo,Rome', 'cy@example.org,"Cy",Lyon', 'di@example.org,Di,Nice', 'ed@example.org,Ed,Metz', ''].join('\n');
    const res = await upload(id, csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 5, rejected: 1, duplicates: 0, dataLines: 6, blankLines: 0, subscribers: 5 });
    expect(res.body.rejections).toEqual([{ line: 3, reason: expect.stringContaining('invalid quoting: a quoted field is not closed on its line') }]);
  });

  it('accounts for every line of a 3,018-row file with bad rows: accepted + rejected + duplicates = data lines', async () => {
    const id = await newList('3018 rows');
    const rows: string[] = [];
    const bad = new Map<number, string>(); // line → reason fragment
    for (let i = 0; i < 3018; i += 1) {
      const line = i + 2;
      if (i % 250 === 7) {
        rows.push(`"broken${i}@example.org,Broken,Oslo`);
        bad.set(line, 'invalid quoting');
      } else if (i % 250 === 11) {
        rows.push(`reader${i}@example.org,"Reader"${i},Oslo`);
        bad.set(line, 'invalid quoting: text after a closing quote');
      } else if (i % 500 === 13) {
        rows.push('');
      } else if (i % 500 === 17) {
        rows.push(`reader${i - 5}@example.org,"Again, ""quoted""",Oslo`);
      } else {
        rows.push(`reader${i}@example.org,"Reader ${i}",City ${i % 7}`);
      }
    }
    const csv = `email,name,city\n${rows.join('\n')}\n`;
    const res = await upload(id, csv);
    expect(res.status).toBe(200);
    const blanks = rows.filter((r) => r === '').length;
    const duplicates = Math.ceil((3018 - 17) / 500);
    expect(res.body.dataLines).toBe(3018 - blanks);
    expect(res.body.blankLines).toBe(blanks);
    expect(res.body.accepted + res.body.rejected + res.body.duplicates).toBe(res.body.dataLines);
    expect(res.body).toMatchObject({ rejected: bad.size, duplicates, accepted: 3018 - blanks - bad.size - duplicates });
    expect(res.body.rejections.map((r) => r.line)).toEqual([...bad.keys()]);
    for (const rejection of res.body.rejections) expect(rejection.reason).toContain(bad.get(rejection.line));
  });

  it('refuses a Latin-1 body as a whole with the line (400), adding nothing', async () => {
    const id = await newList('latin-1');
    const body = Buffer.concat([Buffer.from('email,name\nann@example.org,Ann\n'), Buffer.from('jose@example.org,Jos\xe9\n', 'latin1')]);
    const res = await upload(id, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'validation_failed', field: 'body', message: expect.stringMatching(/^Line 3 is not valid UTF-8; nothing was imported/) });
    const view = await stack.request<{ subscribers: number; imports: unknown[] }>('GET', `/v1/lists/${id}`);
    expect(view.body).toMatchObject({ subscribers: 0, imports: [] });
  });

  it('decodes a body by its declared charset (charset=iso-8859-1)', async () => {
    const id = await newList('declared latin-1');
    const res = await upload(id, Buffer.from('email,name\njose@example.org,Jos\xe9\n', 'latin1'), 'text/csv; charset=iso-8859-1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 1, dataLines: 1 });
    const sent = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body: { subject: 'Hi {{ name }}', text: 'Hello {{ name }}', listId: id } });
    expect(sent.status).toBe(202);
    await stack.waitForNewsletter(sent.body.id, (v) => v.status === 'completed');
    const parsed = await smtp.parsed();
    expect(parsed.map((m) => m.subject)).toContain('Hi José');
  });

  it('holds an opt-out in any case, de-duplicates a mailbox however written, and sends to the address as written', async () => {
    const suppressed = await stack.request('POST', '/v1/suppressions', { body: { email: 'Reader2998@example.org', reason: 'complained' } });
    expect(suppressed.status).toBe(201);
    const again = await stack.request<{ reason: string }>('POST', '/v1/suppressions', { body: { email: 'reader2998@EXAMPLE.org', reason: 'manual' } });
    expect(again.status).toBe(200);
    expect(again.body.reason).toBe('complained');

    const id = await newList('cases');
    const res = await upload(id, 'email,name\nREADER6@EXAMPLE.ORG,Six\nreader6@example.org,Six again\nreader2998@example.org,Opted out\nkeep@example.org,Keep\n');
    expect(res.body).toMatchObject({ accepted: 3, duplicates: 1, rejected: 0, dataLines: 4 });

    const before = smtp.messages.length;
    const sent = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body: { subject: 'Cases', text: 'Hello', listId: id } });
    expect(sent.status).toBe(202);
    const done = await stack.waitForNewsletter<{ status: string; sent: number; suppressed: number }>(sent.body.id, (v) => v.status === 'completed');
    expect(done).toMatchObject({ sent: 2, suppressed: 1 });
    // The sink lower-cases envelope addresses: the To header shows the address as sent.
    const parsed = (await smtp.parsed()).slice(before);
    const to = parsed.flatMap((m) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address)));
    expect(to.sort()).toEqual(['READER6@example.org', 'keep@example.org']);

    // Inline recipients too: another spelling of the suppressed mailbox is not mailed.
    const inline = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Inline', text: 'Hello', recipients: [{ email: 'READER2998@example.org' }, { email: 'Keep@example.org' }, { email: 'keep@EXAMPLE.org' }] },
    });
    const inlineDone = await stack.waitForNewsletter<{ status: string; sent: number; suppressed: number; duplicates: number }>(inline.body.id, (v) => v.status === 'completed');
    expect(inlineDone).toMatchObject({ sent: 1, suppressed: 1, duplicates: 1 });
  });
});
