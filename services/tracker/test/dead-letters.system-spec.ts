import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { ContentObjects, topology, type NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, TEST_NATS_URL, waitFor } from '@mailroom/testing';

jest.setTimeout(180_000);

interface DeadLetterItem {
  id: number;
  event: string | null;
  newsletterId: string | null;
  reason: string;
}

/** Batches that cannot be processed go to the dead letters; their newsletter still settles; an operator can put them back. */
describe('dead letters (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let nc: NatsConnection;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    stack = await MailroomStack.start({ smtpUrl: smtp.url, noSenders: true });
    nc = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    await nc?.close();
  });

  const t = () => topology(stack.namespace);
  const post = async (prefix: string, count: number) => {
    const recipients = Array.from({ length: count }, (_, i) => `${prefix}${i}@example.org`);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: prefix, text: `Hello ${prefix}`, recipients, batchSize: 10 },
    });
    expect(res.status).toBe(202);
    await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.batches.total === Math.ceil(count / 10));
    return { id: res.body.id, recipients };
  };
  const deadLetters = async () =>
    (await stack.request<{ items: DeadLetterItem[]; next: number | null }>('GET', '/v1/dead-letters?limit=100')).body.items;

  it('dead-letters a poison batch with its reason, counts its recipients failed, and the newsletter settles', async () => {
    const { id, recipients } = await post('poison', 30);
    // Replace batch #1 in the queue with a copy that breaks the contract (a corrupt producer).
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(t().streams.batches);
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
      const stored = await jsm.streams.getMessage(t().streams.batches, { seq }).catch(() => null);
      const batch = stored?.json<{ newsletterId: string; batchIndex: number; recipients: Array<{ email: string }> }>();
      if (!stored || batch?.newsletterId !== id || batch.batchIndex !== 1) continue;
      await jsm.streams.deleteMessage(t().streams.batches, seq);
      batch.recipients[0] = { email: 'not an address' };
      await jetstream(nc).publish(stored.subject, JSON.stringify(batch));
    }
    await stack.addSender();

    const view = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status !== 'sending' && v.pending === 0);
    expect(view).toMatchObject({
      status: 'completed_with_failures',
      sent: 20,
      failed: 10,
      batches: { total: 3, completed: 3, deadLettered: 1 },
    });
    const letters = (await deadLetters()).filter((l) => l.newsletterId === id);
    expect(letters).toHaveLength(1);
    expect(letters[0]!.event).toBe('batch.ready');
    expect(letters[0]!.reason).toContain('recipients[0].email');
    expect(recipients.filter((r) => smtp.deliveriesTo.get(r) === 1)).toHaveLength(20);
    // The poison message left the work queue.
    expect((await jsm.streams.info(t().streams.batches)).state.messages).toBe(0);
  });

  it('puts dead batches back once the cause is fixed, and nobody gets the newsletter twice', async () => {
    await Promise.all(stack.senders.map((s) => s.stop()));
    const { id, recipients } = await post('redrive', 20);
    // The cause: the newsletter's stored body disappears before any sender reads it.
    const store = await new Objm(nc).open(t().objectStores.content);
    const body = await store.getBlob(ContentObjects.content(id));
    await store.delete(ContentObjects.content(id));
    await stack.addSender();

    const failed = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'failed');
    expect(failed).toMatchObject({ sent: 0, failed: 20, batches: { deadLettered: 2 } });
    const letters = await waitFor(
      async () => (await deadLetters()).filter((l) => l.newsletterId === id),
      (l) => l.length === 2,
      { timeoutMs: 10_000, description: 'two dead letters' },
    );
    expect(letters[0]!.reason).toContain('is missing');

    // The fix: the body is back. Re-drive both.
    await store.putBlob({ name: ContentObjects.content(id) }, body);
    for (const letter of letters) {
      const res = await stack.request<{ round: string }>('POST', `/v1/dead-letters/${letter.id}/redrive`);
      expect(res.status).toBe(202);
      expect(res.body.round).toBe(`redrive-${letter.id}`);
    }
    const done = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed');
    expect(done).toMatchObject({ sent: 20, failed: 0, pending: 0 });
    expect(recipients.map((r) => smtp.deliveriesTo.get(r))).toEqual(recipients.map(() => 1));
    expect((await deadLetters()).filter((l) => l.newsletterId === id)).toEqual([]);
  });

  it('answers 404 for an unknown dead letter and 400 for a malformed id', async () => {
    expect((await stack.request('POST', '/v1/dead-letters/999999/redrive')).status).toBe(404);
    expect((await stack.request('POST', '/v1/dead-letters/abc/redrive')).status).toBe(400);
  });
});
