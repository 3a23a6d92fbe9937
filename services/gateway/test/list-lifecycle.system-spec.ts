import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { randomUUID } from 'node:crypto';
import { topology } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, TEST_NATS_URL, waitFor } from '@mailroom/testing';
import { GrpcTestClient, bearer } from './support/grpc-client';
import { storedListParts } from './support/list-parts';

jest.setTimeout(300_000);

const A = 'alpha-send-key-0123456789';
const A_READ = 'alpha-read-key-0123456789';
const B = 'beta-send-key-01234567890';
const API_KEYS = [`alpha/a-send@send+read:${A}`, `alpha/a-read@read:${A_READ}`, `beta/b-send@send+read:${B}`].join(',');

interface ListView {
  id: string;
  name: string;
  subscribers: number;
  createdAt: string;
}
interface Page<T> {
  items: T[];
  next: string | null;
}
interface Subscriber {
  email: string;
  name: string | null;
  vars: Record<string, string>;
}
interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

const future = () => new Date(Date.now() + 86_400_000).toISOString();

/**
 * The list and subscriber lifecycle of issue 16 through the HTTP API of real processes: list index,
 * rename and delete, one subscriber read, changed and removed, export and erasure of an address;
 * tenant-scoped, refused while a newsletter still reads the list, stored parts really removed.
 */
describe('list lifecycle: index, rename, delete, subscribers, export and erasure (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let nc: NatsConnection;
  let grpcPort: number;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ keepMessages: true });
    // Many requests in a row with one key: the request rate limit is not what this tests.
    const gateway = { API_KEYS, RATE_LIMIT_PER_MINUTE: '60000', RATE_LIMIT_BURST: '10000' };
    stack = await MailroomStack.start({ smtpUrl: smtp.url, serviceEnv: { gateway } });
    grpcPort = stack.gateway.grpcPort!;
    nc = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await nc?.close();
    await stack?.stop();
    await smtp?.close();
  });

  const call = <T = unknown>(method: string, path: string, apiKey = A, body?: unknown) => stack.request<T & ErrorBody>(method, path, { apiKey, body });
  const newList = async (name: string, apiKey = A) => {
    const res = await call<ListView>('POST', '/v1/lists', apiKey, { name });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const importCsv = async (id: string, csv: string, apiKey = A) => {
    const res = await stack.request<{ accepted: number }>('POST', `/v1/lists/${id}/subscribers`, { apiKey, rawBody: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    return res.body;
  };
  const partsOfList = async (id: string) => [...(await storedListParts(stack.namespace)).keys()].filter((name) => name.startsWith(`lists/${id}/`));
  const enc = encodeURIComponent;

  it("pages the caller's lists in a stable order, renames one, and shows no other tenant's", async () => {
    const ids = [await newList('one'), await newList('two'), await newList('three')];
    const betaId = await newList('beta only', B);

    const seen: ListView[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: Page<ListView> } = await call<Page<ListView>>('GET', `/v1/lists?limit=2${cursor ? `&cursor=${enc(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.next;
      pages += 1;
    } while (cursor !== null && pages < 10);
    // Exactly alpha's three, each once, over two pages (oldest first, ties by id).
    expect(pages).toBe(2);
    expect(seen.map((l) => l.id).sort()).toEqual([...ids].sort());
    const sorted = [...seen].sort((x, y) => (x.createdAt === y.createdAt ? (x.id < y.id ? -1 : 1) : x.createdAt < y.createdAt ? -1 : 1));
    expect(seen.map((l) => l.id)).toEqual(sorted.map((l) => l.id));

    const renamed = await call<ListView>('PATCH', `/v1/lists/${ids[1]}`, A, { name: 'two, renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: ids[1], name: 'two, renamed' });
    expect((await call<ListView>('GET', `/v1/lists/${ids[1]}`)).body.name).toBe('two, renamed');

    // Another tenant's list is not there; bad input names its field.
    expect((await call('PATCH', `/v1/lists/${betaId}`, A, { name: 'mine now' })).status).toBe(404);
    expect((await call('DELETE', `/v1/lists/${betaId}`)).status).toBe(404);
    expect((await call<ListView>('GET', `/v1/lists/${betaId}`, B)).body.name).toBe('beta only');
    expect((await call('PATCH', `/v1/lists/${ids[0]}`, A, { name: '' })).body).toMatchObject({ error: 'validation_failed', field: 'name' });
    expect((await call('PATCH', `/v1/lists/${ids[0]}`, A, { name: 'a\nb' })).body).toMatchObject({ error: 'validation_failed', field: 'name' });
    expect((await call('PATCH', `/v1/lists/${ids[0]}`, A_READ, { name: 'x' })).status).toBe(403);
    expect((await call('GET', '/v1/lists?cursor=garbage')).body).toMatchObject({ error: 'validation_failed', field: 'cursor' });
    expect((await call('GET', '/v1/lists?limit=0')).body).toMatchObject({ error: 'validation_failed', field: 'limit' });
  });

  it('pages, reads, changes and removes one subscriber by mailbox; a send goes to the list as changed', async () => {
    const id = await newList('subscribers');
    await importCsv(id, 'email,name,city\nAnn@Example.org,Ann,Oslo\nbob@example.org,Bob,Lyon\ncy@example.org,Cy,Rome\n');
    await importCsv(id, 'email,name,city\ndi@example.org,Di,Nice\ned@example.org,Ed,Metz\n');
    const before = await partsOfList(id);
    expect(before).toHaveLength(2);

    const walked: Subscriber[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: Page<Subscriber> } = await call<Page<Subscriber>>('GET', `/v1/lists/${id}/subscribers?limit=2${cursor ? `&cursor=${enc(cursor)}` : ''}`, A_READ);
      expect(res.status).toBe(200);
      walked.push(...res.body.items);
      cursor = res.body.next;
    } while (cursor !== null && walked.length < 20);
    expect(walked.map((s) => s.email)).toEqual(['Ann@example.org', 'bob@example.org', 'cy@example.org', 'di@example.org', 'ed@example.org']);
    expect(walked[0]).toEqual({ email: 'Ann@example.org', name: 'Ann', vars: { city: 'Oslo' } });

    // One subscriber, by any spelling of the mailbox.
    const ann = await call<Subscriber>('GET', `/v1/lists/${id}/subscribers/${enc('ANN@example.ORG')}`, A_READ);
    expect(ann.status).toBe(200);
    expect(ann.body).toEqual({ email: 'Ann@example.org', name: 'Ann', vars: { city: 'Oslo' } });
    expect((await call('GET', `/v1/lists/${id}/subscribers/${enc('nobody@example.org')}`)).status).toBe(404);
    expect((await call('GET', `/v1/lists/${id}/subscribers/not-an-address`)).body).toMatchObject({ error: 'validation_failed', field: 'email' });
    expect((await call('GET', `/v1/lists/${id}/subscribers/${enc('ann@example.org')}`, B)).status).toBe(404);

    // Changed: fields merge-patched, name replaced; bad input names the field and changes nothing.
    const patched = await call<Subscriber>('PATCH', `/v1/lists/${id}/subscribers/${enc('ann@example.org')}`, A, { name: 'Ann B.', vars: { city: 'Bergen', plan: 'pro' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ email: 'Ann@example.org', name: 'Ann B.', vars: { city: 'Bergen', plan: 'pro' } });
    expect((await call('PATCH', `/v1/lists/${id}/subscribers/${enc('ann@example.org')}`, A, { vars: { plan: null } })).body).toMatchObject({ vars: { city: 'Bergen' } });
    const badName = await call('PATCH', `/v1/lists/${id}/subscribers/${enc('ann@example.org')}`, A, { name: 'two\nlines' });
    expect(badName.body).toMatchObject({ error: 'validation_failed', field: 'name' });
    expect((await call('PATCH', `/v1/lists/${id}/subscribers/${enc('ann@example.org')}`, A, { vars: { city: 7 } })).body).toMatchObject({ error: 'validation_failed', field: 'vars.city' });
    expect((await call('PATCH', `/v1/lists/${id}/subscribers/${enc('ann@example.org')}`, A, {})).body).toMatchObject({ error: 'validation_failed', field: 'name' });
    expect((await call('PATCH', `/v1/lists/${id}/subscribers/${enc('ann@example.org')}`, A, { email: 'x@example.org' })).status).toBe(400);
    expect((await call('PATCH', `/v1/lists/${id}/subscribers/${enc('ann@example.org')}`, B, { name: 'Mallory' })).status).toBe(404);
    expect((await call<Subscriber>('GET', `/v1/lists/${id}/subscribers/${enc('ann@example.org')}`)).body).toEqual({ email: 'Ann@example.org', name: 'Ann B.', vars: { city: 'Bergen' } });

    // Removed: the list shrinks, the old part is gone from the store.
    const removed = await call<{ removed: Subscriber; subscribers: number }>('DELETE', `/v1/lists/${id}/subscribers/${enc('BOB@example.org')}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ removed: { email: 'bob@example.org', name: 'Bob', vars: { city: 'Lyon' } }, subscribers: 4 });
    expect((await call('GET', `/v1/lists/${id}/subscribers/${enc('bob@example.org')}`)).status).toBe(404);
    expect((await call('DELETE', `/v1/lists/${id}/subscribers/${enc('bob@example.org')}`)).status).toBe(404);
    expect((await call<ListView>('GET', `/v1/lists/${id}`)).body.subscribers).toBe(4);
    const after = await partsOfList(id);
    expect(after).toHaveLength(2);
    expect(after).toContain(before[1]);
    expect(after).not.toContain(before[0]);

    // A send to the list reaches the four, with the changed name.
    const sent = await call<{ id: string }>('POST', '/v1/newsletters', A, { subject: 'Hi {{ name }} in {{ city }}', text: 'Hello', listId: id });
    expect(sent.status).toBe(202);
    await stack.waitForNewsletterAs(A, sent.body.id, (v) => v.status === 'completed');
    const subjects = (await smtp.parsed()).map((m) => m.subject);
    expect(subjects).toContain('Hi Ann B. in Bergen');
    expect(subjects).toContain('Hi Di in Nice');
    expect(subjects.filter((s) => s?.startsWith('Hi Bob'))).toEqual([]);
  });

  it('refuses to delete a list or change its subscribers while a newsletter to it has not settled (409 naming it), then deletes it with its parts', async () => {
    const id = await newList('scheduled');
    await importCsv(id, 'email,name\nfay@example.org,Fay\ngus@example.org,Gus\n');
    await importCsv(id, 'email\nhal@example.org\n');
    const scheduled = await call<{ id: string }>('POST', '/v1/newsletters', A, { subject: 'Later', text: 'Hi', listId: id, sendAt: future() });
    expect(scheduled.status).toBe(202);

    const refused = await call('DELETE', `/v1/lists/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(scheduled.body.id);
    const change = await call('PATCH', `/v1/lists/${id}/subscribers/${enc('fay@example.org')}`, A, { name: 'Fay B.' });
    expect(change.status).toBe(409);
    expect(change.body.message).toContain(scheduled.body.id);
    expect((await call('DELETE', `/v1/lists/${id}/subscribers/${enc('fay@example.org')}`)).status).toBe(409);
    // Nothing changed.
    expect((await call<ListView>('GET', `/v1/lists/${id}`)).body.subscribers).toBe(3);
    expect((await call<Subscriber>('GET', `/v1/lists/${id}/subscribers/${enc('fay@example.org')}`)).body.name).toBe('Fay');
    expect(await partsOfList(id)).toHaveLength(2);

    expect((await call('POST', `/v1/newsletters/${scheduled.body.id}/cancel`)).status).toBe(202);
    await stack.waitForNewsletterAs(A, scheduled.body.id, (v) => v.status === 'cancelled');

    expect((await call('DELETE', `/v1/lists/${id}`, B)).status).toBe(404);
    const deleted = await call<{ id: string; subscribers: number; parts: number }>('DELETE', `/v1/lists/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id, name: 'scheduled', subscribers: 3, parts: 2 });
    expect(await partsOfList(id)).toEqual([]);
    expect((await call('GET', `/v1/lists/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/v1/lists/${id}`)).status).toBe(404);
    expect((await call('GET', `/v1/lists/${id}/subscribers`)).status).toBe(404);
    const index = await call<Page<ListView>>('GET', '/v1/lists?limit=1000');
    expect(index.body.items.map((l) => l.id)).not.toContain(id);
    const toDeleted = await call('POST', '/v1/newsletters', A, { subject: 'x', text: 'x', listId: id });
    expect(toDeleted.status).toBe(404);
  });

  it("an export lists the address's recent delivery outcomes, of the caller's tenant's newsletters only", async () => {
    const reader = 'Outcome.Reader@example.org';
    const ours = await call<{ id: string }>('POST', '/v1/newsletters', A, { subject: 'Ours', text: 'Hi', recipients: [{ email: reader }] });
    const theirs = await call<{ id: string }>('POST', '/v1/newsletters', B, { subject: 'Theirs', text: 'Hi', recipients: [{ email: reader }] });
    expect([ours.status, theirs.status]).toEqual([202, 202]);
    await stack.waitForNewsletterAs(A, ours.body.id, (v) => v.status === 'completed');
    await stack.waitForNewsletterAs(B, theirs.body.id, (v) => v.status === 'completed');

    // The ledger keeps the address as it was sent: found under that spelling (any case of the domain).
    const exported = await call<{ deliveries: Array<Record<string, unknown>> }>('GET', `/v1/subscribers/${enc('Outcome.Reader@EXAMPLE.org')}`, A_READ);
    expect(exported.status).toBe(200);
    expect(exported.body.deliveries).toEqual([{ newsletterId: ours.body.id, state: 'accepted', at: expect.any(String), attempts: 1, code: 250 }]);
    const forBeta = await call<{ deliveries: Array<{ newsletterId: string }> }>('GET', `/v1/subscribers/${enc(reader)}`, B);
    expect(forBeta.body.deliveries.map((d) => d.newsletterId)).toEqual([theirs.body.id]);
  });

  it("exports an address (Art. 15) and erases it (Art. 17) from every list of the tenant, keeping only a hashed suppression", async () => {
    const first = await newList('erase 1');
    const second = await newList('erase 2');
    const betaList = await newList('beta keeps', B);
    await importCsv(first, 'email,name,city\nErase.Me@example.org,Erin,Oslo\nstay@example.org,Stay,Rome\n');
    await importCsv(second, 'email,name\nerase.me@EXAMPLE.org,E.\n');
    await importCsv(betaList, 'email\nerase.me@example.org\n', B);
    expect((await call('POST', '/v1/suppressions', A, { email: 'erase.me@example.org', reason: 'unsubscribed' })).status).toBe(201);

    const exported = await call<{ email: string; lists: Array<{ listId: string; listName: string; subscriber: Subscriber }>; suppression: { tenant: { reason: string } | null; global: unknown } }>(
      'GET',
      `/v1/subscribers/${enc('ERASE.ME@example.org')}`,
      A_READ,
    );
    expect(exported.status).toBe(200);
    expect(exported.body.lists).toEqual([
      { listId: first, listName: 'erase 1', subscriber: { email: 'Erase.Me@example.org', name: 'Erin', vars: { city: 'Oslo' } } },
      { listId: second, listName: 'erase 2', subscriber: { email: 'erase.me@example.org', name: 'E.', vars: {} } },
    ]);
    expect(exported.body.suppression).toMatchObject({ tenant: { reason: 'unsubscribed', email: 'erase.me@example.org' }, global: null });
    expect((await call('GET', '/v1/subscribers/not-an-address')).body).toMatchObject({ error: 'validation_failed', field: 'email' });
    expect((await call('DELETE', `/v1/subscribers/${enc('erase.me@example.org')}`, A_READ)).status).toBe(403);

    // Refused whole while a newsletter to one of the lists has not settled.
    const scheduled = await call<{ id: string }>('POST', '/v1/newsletters', A, { subject: 'Later', text: 'Hi', listId: second, sendAt: future() });
    const refused = await call('DELETE', `/v1/subscribers/${enc('erase.me@example.org')}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(scheduled.body.id);
    expect((await call<ListView>('GET', `/v1/lists/${first}`)).body.subscribers).toBe(2);
    expect((await call('POST', `/v1/newsletters/${scheduled.body.id}/cancel`)).status).toBe(202);
    await stack.waitForNewsletterAs(A, scheduled.body.id, (v) => v.status === 'cancelled');

    const erased = await call<{ erased: boolean; removedFrom: Array<{ listId: string; subscribers: number }>; suppression: unknown }>('DELETE', `/v1/subscribers/${enc('Erase.Me@Example.org')}`);
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({
      erased: true,
      removedFrom: [
        { listId: first, listName: 'erase 1', subscribers: 1 },
        { listId: second, listName: 'erase 2', subscribers: 0 },
      ],
      suppression: { kept: 'erased', replacedReason: 'unsubscribed', global: false },
    });

    // Gone from the tenant's lists and their stored parts; the other tenant's list is untouched.
    const again = await call<{ lists: unknown[]; suppression: { tenant: Record<string, unknown> } }>('GET', `/v1/subscribers/${enc('erase.me@example.org')}`);
    expect(again.body.lists).toEqual([]);
    expect(again.body.suppression.tenant).toMatchObject({ email: '', erased: true });
    const parts = await storedListParts(stack.namespace, 1000);
    const stored = [...parts.entries()].filter(([name]) => !name.startsWith(`lists/${betaList}/`)).flatMap(([, lines]) => lines);
    expect(JSON.stringify(stored).toLowerCase()).not.toContain('erase.me');
    expect(JSON.stringify(stored)).toContain('stay@example.org');
    expect((await call<Subscriber>('GET', `/v1/lists/${betaList}/subscribers/${enc('erase.me@example.org')}`, B)).status).toBe(200);

    // The suppression bucket holds no readable address of it, in any entry.
    const kv = await new Kvm(nc).open(topology(stack.namespace).buckets.suppressions);
    const values: string[] = [];
    for await (const key of await kv.keys()) {
      const entry = await kv.get(key);
      if (entry?.operation === 'PUT') values.push(entry.string());
    }
    expect(values.length).toBeGreaterThan(0);
    expect(values.join('\n').toLowerCase()).not.toContain('erase.me');

    // Never mailed again by the tenant, in any spelling; erasing again is harmless.
    const before = smtp.messages.length;
    const inline = await call<{ id: string }>('POST', '/v1/newsletters', A, { subject: 'After erasure', text: 'Hi', recipients: ['ERASE.ME@example.org', 'stay@example.org'] });
    expect(inline.status).toBe(202);
    const done = await stack.waitForNewsletterAs<{ status: string; sent: number; suppressed: number }>(A, inline.body.id, (v) => v.status === 'completed');
    expect(done).toMatchObject({ sent: 1, suppressed: 1 });
    await waitFor(() => smtp.messages.length, (n) => n >= before + 1, { timeoutMs: 10_000, description: 'the one mail' });
    expect(smtp.messages.slice(before).flatMap((m) => m.to)).toEqual(['stay@example.org']);
    const twice = await call<{ removedFrom: unknown[]; suppression: { replacedReason: string } }>('DELETE', `/v1/subscribers/${enc('erase.me@example.org')}`);
    expect(twice.status).toBe(200);
    expect(twice.body).toMatchObject({ removedFrom: [], suppression: { replacedReason: 'erased' } });
  });

  it('reads a list stored before sends and mailbox keys (two spellings of one mailbox) and erases every spelling', async () => {
    // As an older gateway stored it: a v1 record without `sends`, parts de-duplicated by the address as written.
    const id = randomUUID();
    const t = new Date().toISOString();
    const importEntry = (n: number, accepted: number) => ({ id: `i${n}`, object: `lists/${id}/i${n}.ndjson`, format: 'csv', accepted, rejected: 0, duplicates: 0, bytes: 10, importedAt: t });
    const lists = await new Kvm(nc).open(topology(stack.namespace).buckets.lists);
    const parts = await new Objm(nc).open(topology(stack.namespace).objectStores.listParts);
    const ndjson = (rows: object[]) => new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await parts.putBlob({ name: `lists/${id}/i1.ndjson` }, ndjson([{ email: 'READER6@example.org' }, { email: 'keep@example.org', name: 'Keep' }, { email: 'reader6@example.org', name: 'Six' }]));
    await parts.putBlob({ name: `lists/${id}/i2.ndjson` }, ndjson([{ email: 'Reader6@example.org', vars: { city: 'Oslo' } }]));
    await lists.create(id, JSON.stringify({ v: 1, id, name: 'legacy', subscribers: 4, imports: [importEntry(1, 3), importEntry(2, 1)], importing: null, createdAt: t, updatedAt: t, tenant: 'alpha' }));

    expect((await call<Page<ListView>>('GET', '/v1/lists?limit=1000')).body.items.map((l) => l.id)).toContain(id);
    const exported = await call<{ lists: Array<{ listId: string; subscriber: Subscriber }> }>('GET', `/v1/subscribers/${enc('reader6@example.org')}`);
    expect(exported.body.lists.filter((l) => l.listId === id).map((l) => l.subscriber.email)).toEqual(['READER6@example.org', 'reader6@example.org', 'Reader6@example.org']);

    const erased = await call<{ removedFrom: Array<{ listId: string; subscribers: number }> }>('DELETE', `/v1/subscribers/${enc('reader6@example.org')}`);
    expect(erased.status).toBe(200);
    expect(erased.body.removedFrom).toEqual([{ listId: id, listName: 'legacy', subscribers: 1 }]);
    const left = await call<Page<Subscriber>>('GET', `/v1/lists/${id}/subscribers`);
    expect(left.body).toEqual({ items: [{ email: 'keep@example.org', name: 'Keep', vars: {} }], next: null });
    expect((await partsOfList(id)).sort()).toEqual([expect.stringMatching(new RegExp(`^lists/${id}/i1\\.[0-9a-f-]+\\.ndjson$`))]);
    const deleted = await call<{ parts: number }>('DELETE', `/v1/lists/${id}`);
    expect(deleted.body).toMatchObject({ id, subscribers: 1, parts: 1 });
    expect(await partsOfList(id)).toEqual([]);
  });

  it('serves the same over gRPC (mailroom.v1.Lists): tenant-scoped, the same rules and errors', async () => {
    const client = new GrpcTestClient(`127.0.0.1:${grpcPort}`);
    // Without the loader's virtual oneof markers of optional fields (`_name`).
    const plain = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(plain)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('_')).map(([key, v]) => [key, plain(v)]))
          : value;
    const grpc = {
      callLists: async <T = Record<string, unknown>>(method: string, request: object, metadata: ReturnType<typeof bearer>) => plain(await client.callLists(method, request, metadata)) as T,
      listsFailure: (method: string, request: object, metadata: ReturnType<typeof bearer>) => client.listsFailure(method, request, metadata),
      close: () => client.close(),
    };
    try {
      const id = await newList('grpc');
      await importCsv(id, 'email,name,city\ngrpc-ann@example.org,Ann,Oslo\ngrpc-bob@example.org,Bob,Lyon\n');

      const ids: string[] = [];
      let cursor = '';
      for (let page = 0; page < 100; page += 1) {
        const res: { items: Array<{ id: string }>; next?: string } = await grpc.callLists('ListLists', { limit: 2, cursor }, bearer(A_READ));
        ids.push(...res.items.map((l) => l.id));
        if (res.next === undefined) break;
        cursor = res.next;
      }
      expect(ids).toContain(id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(await grpc.callLists('RenameList', { id, name: 'grpc, renamed' }, bearer(A))).toMatchObject({ id, name: 'grpc, renamed', subscribers: 2 });

      const page = await grpc.callLists<{ items: unknown[]; next?: string }>('ListSubscribers', { id, limit: 1 }, bearer(A_READ));
      expect(page.items).toEqual([{ email: 'grpc-ann@example.org', name: 'Ann', vars: { city: 'Oslo' } }]);
      const rest = await grpc.callLists<{ items: Array<{ email: string }>; next?: string }>('ListSubscribers', { id, cursor: page.next }, bearer(A_READ));
      expect(rest.items.map((s) => s.email)).toEqual(['grpc-bob@example.org']);
      expect(rest.next).toBeUndefined();
      expect(await grpc.callLists('GetSubscriber', { id, email: 'GRPC-ANN@example.org' }, bearer(A_READ))).toEqual({ email: 'grpc-ann@example.org', name: 'Ann', vars: { city: 'Oslo' } });
      expect(await grpc.callLists('UpdateSubscriber', { id, email: 'grpc-ann@example.org', name: 'Ann B.', vars: { plan: 'pro' }, removeVars: ['city'] }, bearer(A))).toEqual({
        email: 'grpc-ann@example.org',
        name: 'Ann B.',
        vars: { plan: 'pro' },
      });
      expect(await grpc.callLists('RemoveSubscriber', { id, email: 'grpc-bob@example.org' }, bearer(A))).toEqual({
        removed: { email: 'grpc-bob@example.org', name: 'Bob', vars: { city: 'Lyon' } },
        subscribers: 1,
      });

      // The same errors: another tenant's list is not found, scopes hold, bad input names its field.
      expect(await grpc.listsFailure('GetSubscriber', { id, email: 'grpc-ann@example.org' }, bearer(B))).toMatchObject({ code: 'NOT_FOUND', trailers: { error: 'not_found' } });
      expect(await grpc.listsFailure('DeleteList', { id }, bearer(B))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await grpc.listsFailure('RenameList', { id, name: 'x' }, bearer(A_READ))).toMatchObject({ code: 'PERMISSION_DENIED' });
      expect(await grpc.listsFailure('RenameList', { id, name: '' }, bearer(A))).toMatchObject({ code: 'INVALID_ARGUMENT', trailers: { field: 'name' } });
      expect(await grpc.listsFailure('GetSubscriber', { id: 'nope', email: 'grpc-ann@example.org' }, bearer(A))).toMatchObject({ code: 'INVALID_ARGUMENT', trailers: { field: 'id' } });
      expect(await grpc.listsFailure('ExportSubscriber', { email: 'nope' }, bearer(A))).toMatchObject({ code: 'INVALID_ARGUMENT', trailers: { field: 'email' } });
      expect(await grpc.listsFailure('UpdateSubscriber', { id, email: 'grpc-ann@example.org' }, bearer(A))).toMatchObject({ code: 'INVALID_ARGUMENT', trailers: { field: 'name' } });
      expect(await grpc.listsFailure('ListLists', { limit: 5000 }, bearer(A))).toMatchObject({ code: 'INVALID_ARGUMENT', trailers: { field: 'limit' } });

      // While a newsletter to the list has not settled: FAILED_PRECONDITION naming it.
      const scheduled = await call<{ id: string }>('POST', '/v1/newsletters', A, { subject: 'Later', text: 'Hi', listId: id, sendAt: future() });
      const refused = await grpc.listsFailure('DeleteList', { id }, bearer(A));
      expect(refused).toMatchObject({ code: 'FAILED_PRECONDITION', trailers: { error: 'conflict' } });
      expect(refused.details).toContain(scheduled.body.id);
      expect((await call('POST', `/v1/newsletters/${scheduled.body.id}/cancel`)).status).toBe(202);
      await stack.waitForNewsletterAs(A, scheduled.body.id, (v) => v.status === 'cancelled');

      const exported = await grpc.callLists<{ lists: Array<{ listId: string }>; tenantSuppressionErased: boolean }>('ExportSubscriber', { email: 'grpc-ann@example.org' }, bearer(A_READ));
      expect(exported.lists).toEqual([{ listId: id, listName: 'grpc, renamed', subscriber: { email: 'grpc-ann@example.org', name: 'Ann B.', vars: { plan: 'pro' } } }]);
      expect(exported.tenantSuppressionErased).toBe(false);
      expect(await grpc.callLists('EraseSubscriber', { email: 'grpc-ann@example.org' }, bearer(A))).toEqual({
        removedFrom: [{ listId: id, listName: 'grpc, renamed', subscribers: 0 }],
        globalSuppression: false,
      });
      expect(await grpc.callLists('ExportSubscriber', { email: 'grpc-ann@example.org' }, bearer(A_READ))).toMatchObject({ lists: [], tenantSuppressionErased: true, tenantSuppressionReason: 'manual' });
      expect(await grpc.callLists('DeleteList', { id }, bearer(A))).toEqual({ id, name: 'grpc, renamed', subscribers: 0, parts: 0 });
      expect(await grpc.listsFailure('DeleteList', { id }, bearer(A))).toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      grpc.close();
    }
  });
});
