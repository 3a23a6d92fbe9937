import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  ContentObjects,
  Events,
  eventSubject,
  topology,
  type BatchCompletedEvent,
  type NewsletterRequestedEvent,
  type NewsletterView,
} from '@mailroom/contracts';
import { MailroomStack, SmtpSink, TEST_NATS_URL, waitFor } from '@mailroom/testing';

jest.setTimeout(120_000);

/** Facts delivered twice (a crash before the ack, a replay after the dedup window) change nothing. */
describe('replayed events (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let nc: NatsConnection;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ keepMessages: false });
    stack = await MailroomStack.start({ smtpUrl: smtp.url, noSenders: true });
    nc = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    await nc?.close();
  });

  it('a re-run split publishes no batch twice, and the newsletter is counted once', async () => {
    const t = topology(stack.namespace);
    const recipients = Array.from({ length: 30 }, (_, i) => `again${i}@example.org`);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Twice?', text: 'Once', recipients, batchSize: 10 },
    });
    const id = res.body.id;
    await stack.waitForNewsletter<NewsletterView>(id, (v) => v.batches.total === 3);

    // The same request again, as a redelivery after a splitter crash would bring it.
    const request: NewsletterRequestedEvent = {
      newsletterId: id,
      occurredAt: new Date().toISOString(),
      contentObject: ContentObjects.content(id),
      recipientsObject: ContentObjects.recipients(id),
      submittedRecipients: 30,
      batchSize: 10,
    };
    const js = jetstream(nc);
    await js.publish(eventSubject(t, Events.NewsletterRequested), JSON.stringify(request));
    const jsm = await jetstreamManager(nc);
    await waitFor(
      () => jsm.consumers.info(t.streams.requests, t.consumers.splitter),
      (info) => info.num_pending === 0 && info.num_ack_pending === 0,
      { timeoutMs: 20_000, description: 'the splitter to take the replayed request' },
    );
    expect((await jsm.streams.info(t.streams.batches)).state.messages).toBe(3);

    await stack.addSender();
    const done = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed');
    expect(done).toMatchObject({ total: 30, sent: 30, batches: { total: 3, completed: 3 } });
    expect(smtp.acceptedTotal).toBe(30);

    // A batch result replayed long after the dedup window (a new msgID) is not counted again.
    const replay: BatchCompletedEvent = {
      newsletterId: id, occurredAt: new Date().toISOString(), batchIndex: 1, sent: 10, failed: 0, suppressed: 0, failures: [],
    };
    const ack = await js.publish(eventSubject(t, Events.BatchCompleted), JSON.stringify(replay), { msgID: `late-replay-${Date.now()}` });
    expect(ack.duplicate).toBe(false);
    await waitFor(
      () => jsm.consumers.info(t.streams.events, t.consumers.tracker),
      (info) => info.delivered.stream_seq >= ack.seq && info.num_ack_pending === 0,
      { timeoutMs: 20_000, description: 'the tracker to take the replayed result' },
    );
    const after = (await stack.request<NewsletterView>('GET', `/v1/newsletters/${id}`)).body;
    expect(after).toMatchObject({ total: 30, sent: 30, failed: 0, status: 'completed' });
  });
});
