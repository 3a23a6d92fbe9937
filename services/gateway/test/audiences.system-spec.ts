import { Readable } from 'node:stream';
import { MailroomStack, SmtpSink } from '@mailroom/testing';
import type { ParsedMail } from 'mailparser';
import { streamUpload } from './support/stream-upload';
import { oneClick, throughGateway, unsubscribeLinkOf } from './support/unsubscribe-links';

jest.setTimeout(300_000);

// The origin of the unsubscribe links (a proxy in front of the gateway in production).
const PUBLIC_BASE_URL = 'https://mail.mailroom.test';
const UNSUBSCRIBE_SECRET = 'audiences-e2e-secret-0123456789abcdefghij';

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
 * every line, non-UTF-8 is refused or decoded by its declared charset, and a mailbox is one
 * whatever its spelling (case, IDNA) for de-duplication, opt-outs, unsubscribe links and exports.
 */
describe('audiences: imports account for every line (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ keepMessages: true });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      env: { UNSUBSCRIBE_SECRET },
      serviceEnv: { sender: { PUBLIC_BASE_URL } },
    });
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

  type Settled = { status: string; sent: number; suppressed: number; duplicates: number };
  const sendInline = async (subject: string, recipients: string[]) => {
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body: { subject, text: 'Hello', recipients } });
    expect(res.status).toBe(202);
    return res.body.id;
  };
  const mailsOf = async (newsletterId: string): Promise<ParsedMail[]> =>
    (await smtp.parsed()).filter((m) => m.headers.get('x-mailroom-newsletter-id') === newsletterId);
  const toOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? '';

  it('takes an IDNA domain and its punycode for one mailbox: one subscriber in an import, an opt-out of either spelling stops the other', async () => {
    const id = await newList('idna');
    const res = await upload(id, 'email,name\nuser@BÜCHER.example,Unicode\nuser@xn--bcher-kva.example,Punycode\nidna-keep@example.org,Keep\n');
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 0, dataLines: 3, subscribers: 2 });

    // The Unicode spelling suppressed: the list (which holds it as punycode) and an inline
    // punycode spelling are both stopped.
    expect((await stack.request('POST', '/v1/suppressions', { body: { email: 'User@Bücher.example', reason: 'manual' } })).status).toBe(201);
    const toList = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body: { subject: 'IDNA list', text: 'Hello', listId: id } });
    expect(toList.status).toBe(202);
    expect(await stack.waitForNewsletter<Settled>(toList.body.id, (v) => v.status === 'completed')).toMatchObject({ sent: 1, suppressed: 1 });
    const inline = await sendInline('IDNA inline', ['user@xn--bcher-kva.example', 'idna-keep@example.org']);
    expect(await stack.waitForNewsletter<Settled>(inline, (v) => v.status === 'completed')).toMatchObject({ sent: 1, suppressed: 1 });

    // The other way round: the punycode spelling suppressed stops a send to the Unicode one.
    expect((await stack.request('POST', '/v1/suppressions', { body: { email: 'other@xn--bcher-kva.example', reason: 'manual' } })).status).toBe(201);
    const unicode = await sendInline('IDNA unicode', ['Other@BÜCHER.example', 'idna-keep@example.org']);
    expect(await stack.waitForNewsletter<Settled>(unicode, (v) => v.status === 'completed')).toMatchObject({ sent: 1, suppressed: 1 });

    for (const newsletterId of [toList.body.id, inline, unicode]) expect((await mailsOf(newsletterId)).map(toOf)).toEqual(['idna-keep@example.org']);
    expect(smtp.deliveriesTo.get('user@xn--bcher-kva.example')).toBeUndefined();
    expect(smtp.deliveriesTo.get('other@xn--bcher-kva.example')).toBeUndefined();
  });

  it('holds a one-click unsubscribe (POST) of a mixed-case address against a later send to the lower-case spelling; the export finds both spellings', async () => {
    const first = await sendInline('Mixed case', ['Mixed.Case@Example.ORG']);
    await stack.waitForNewsletter<Settled>(first, (v) => v.status === 'completed');
    const lower = await sendInline('Lower case before', ['mixed.case@example.org']);
    await stack.waitForNewsletter<Settled>(lower, (v) => v.status === 'completed');
    const [mail] = await mailsOf(first);
    expect(mail && toOf(mail)).toBe('Mixed.Case@example.org');
    const unsubscribed = await oneClick(throughGateway(unsubscribeLinkOf(mail!), stack.gateway.baseUrl));
    expect(unsubscribed.status).toBe(200);

    const later = await sendInline('Lower case after', ['mixed.case@example.org', 'mixed-keep@example.org']);
    expect(await stack.waitForNewsletter<Settled>(later, (v) => v.status === 'completed')).toMatchObject({ sent: 1, suppressed: 1 });
    expect((await mailsOf(later)).map(toOf)).toEqual(['mixed-keep@example.org']);
    // The sink counts envelope addresses lower-cased: the two sends before the unsubscribe.
    expect(smtp.deliveriesTo.get('mixed.case@example.org')).toBe(2);

    // The export, asked in a spelling never sent to, finds both deliveries: one under the spelling
    // the unsubscribe recorded, one under the all-lower-case spelling. (The later send skipped the
    // address at the split: no delivery outcome.)
    const exported = await stack.request<{ deliveries: Array<{ newsletterId: string; state: string }> }>('GET', `/v1/subscribers/${encodeURIComponent('MIXED.CASE@EXAMPLE.ORG')}`);
    expect(exported.status).toBe(200);
    expect(exported.body.deliveries.map((d) => [d.newsletterId, d.state]).sort()).toEqual(
      [
        [first, 'accepted'],
        [lower, 'accepted'],
      ].sort(),
    );
  });
});
