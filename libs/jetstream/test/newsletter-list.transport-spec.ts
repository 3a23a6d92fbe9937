import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ContentObjects, RecipientBatcher, type NewsletterRequestedEvent, type Recipient, type SubmittedRecipient } from '@mailroom/contracts';
import { ContentStore, JetStreamModule, ListPartsStore, findListRecipient, readNewsletterList } from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(60_000);

const INLINE = '1b2c3d4e-0000-4000-8000-000000000001';
const LISTED = '1b2c3d4e-0000-4000-8000-000000000002';
const OLD = '1b2c3d4e-0000-4000-8000-000000000003';

/** Submitted recipients with what the splitter's batcher changes: a domain to lower-case, a duplicate mailbox, an invalid address. */
const submitted = (prefix: string, n: number): SubmittedRecipient[] =>
  Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@Example.ORG`, name: ` Reader ${i} `, vars: { n: String(i) } }));

const request = (id: string, extra: Partial<NewsletterRequestedEvent>): NewsletterRequestedEvent =>
  ({ newsletterId: id, occurredAt: new Date().toISOString(), contentObject: ContentObjects.content(id), batchSize: 3, ...extra }) as NewsletterRequestedEvent;

/** What the splitter itself batches (no suppression). */
function splitterBatches(lines: readonly SubmittedRecipient[], batchSize: number): Recipient[][] {
  const batcher = new RecipientBatcher(batchSize);
  const out: Recipient[][] = [];
  for (const line of lines) {
    const full = batcher.add(line);
    if (full) out.push(full.recipients);
  }
  const last = batcher.flush();
  if (last) out.push(last.recipients);
  return out;
}

async function collect(list: Awaited<ReturnType<typeof readNewsletterList>>): Promise<Recipient[][]> {
  if (!list.ok) throw new Error(list.reason);
  const out: Recipient[][] = [];
  for await (const batch of list.batches) {
    expect(batch.index).toBe(out.length);
    out.push(batch.recipients);
  }
  return out;
}

describe('readNewsletterList and findListRecipient (real NATS object stores)', () => {
  const namespace = uniqueNamespace('nlist');
  let app: INestApplication;
  let stores: { content: ContentStore; listParts: ListPartsStore };

  beforeAll(async () => {
    @Module({
      imports: [JetStreamModule.forRoot({ service: 'newsletter-list-test', config: { natsUrl: TEST_NATS_URL, namespace, streamReplicas: 1, bootTimeoutMs: 30_000 } })],
    })
    class ListModule {}
    app = await NestFactory.create(ListModule, { logger: false });
    await app.init();
    stores = { content: app.get(ContentStore), listParts: app.get(ListPartsStore) };
  });

  afterAll(async () => {
    await app?.close();
    await deleteNamespace(namespace);
  });

  it('reads an inline list as the splitter batched it, and finds a recipient with their merge fields', async () => {
    const lines = [...submitted('ann', 5), { email: 'ANN1@example.org', name: 'Duplicate' }, { email: 'not an address' }, ...submitted('bob', 4)];
    await stores.content.putLines(ContentObjects.recipients(INLINE), lines);
    await stores.content.putJson(ContentObjects.request(INLINE), request(INLINE, { recipientsObject: ContentObjects.recipients(INLINE) }));
    const list = await readNewsletterList(INLINE, stores);
    expect(list.ok && list.request?.batchSize).toBe(3);
    expect(await collect(list)).toEqual(splitterBatches(lines, 3));

    const again = await readNewsletterList(INLINE, stores);
    if (!again.ok) throw new Error(again.reason);
    // The first spelling of a mailbox, normalised as it was sent (domain lower-cased).
    expect(await findListRecipient(again.batches, 'ann4@example.org')).toEqual({ email: 'ann4@example.org', name: 'Reader 4', vars: { n: '4' } });
    const third = await readNewsletterList(INLINE, stores);
    expect(third.ok && (await findListRecipient(third.batches, 'nobody@example.org'))).toBeNull();
  });

  it("reads a subscriber list's parts in order, and says so when a part is gone", async () => {
    const parts = ['lists/l1/i1.ndjson', 'lists/l1/i2.ndjson'];
    await stores.listParts.putLines(parts[0]!, submitted('cat', 4));
    await stores.listParts.putLines(parts[1]!, submitted('dan', 3));
    await stores.content.putJson(ContentObjects.request(LISTED), request(LISTED, { listParts: parts, batchSize: 2 }));
    expect(await collect(await readNewsletterList(LISTED, stores))).toEqual(splitterBatches([...submitted('cat', 4), ...submitted('dan', 3)], 2));
    const list = await readNewsletterList(LISTED, stores);
    expect(list.ok && (await findListRecipient(list.batches, 'dan2@example.org'))).toEqual({ email: 'dan2@example.org', name: 'Reader 2', vars: { n: '2' } });

    await stores.listParts.delete(parts[1]!);
    expect(await readNewsletterList(LISTED, stores)).toEqual({ ok: false, reason: 'A part of the subscriber list is missing' });
  });

  it('reading only the lines of one mailbox finds the same recipient as reading everything', async () => {
    const id = '1b2c3d4e-0000-4000-8000-000000000004';
    const lines: SubmittedRecipient[] = [
      { email: 'eve@example.org', name: 'Eve' },
      // Invalid: skipped, and does not take the mailbox.
      { email: 'BOB@example.org', name: 'Bad vars', vars: { n: 5 } as unknown as Record<string, string> },
      { email: ' BOB@Example.org ', name: 'First Bob', vars: { n: '1' } },
      { email: 'bob@example.org', name: 'Second Bob' },
      { email: 'bob@other.example', name: 'Other Bob' },
      { email: 'xbob@example.org', name: 'Not Bob' },
    ];
    await stores.content.putLines(ContentObjects.recipients(id), lines);
    await stores.content.putJson(ContentObjects.request(id), request(id, { recipientsObject: ContentObjects.recipients(id) }));
    const find = async (email: string, only: boolean) => {
      const list = await readNewsletterList(id, stores, only ? { mailboxOf: email } : {});
      if (!list.ok) throw new Error(list.reason);
      return findListRecipient(list.batches, email);
    };
    for (const email of ['BOB@example.org', 'bob@other.example', 'xbob@example.org', 'eve@example.org', 'bob@example.org']) {
      expect(await find(email, true)).toEqual(await find(email, false));
    }
    expect(await find('BOB@example.org', true)).toEqual({ email: 'BOB@example.org', name: 'First Bob', vars: { n: '1' } });
    expect(await find('bob@example.org', true)).toBeNull();
  });

  it('reads the inline list of a newsletter split before its request was kept, and says so when the content is gone', async () => {
    await stores.content.putLines(ContentObjects.recipients(OLD), submitted('eve', 3));
    const list = await readNewsletterList(OLD, stores);
    expect(list.ok && list.request).toBeNull();
    expect(await collect(list)).toEqual(splitterBatches(submitted('eve', 3), 1_000));
    await stores.content.removeNewsletter(OLD);
    expect(await readNewsletterList(OLD, stores)).toEqual({ ok: false, reason: 'The stored recipient list is missing' });
  });
});
