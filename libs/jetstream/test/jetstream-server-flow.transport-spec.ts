import { Controller, Inject, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Events, eventSubject, topology, type NewsletterRequestedEvent, type Topology } from '@mailroom/contracts';
import { JetStreamContext, JetStreamModule, connectJetStreamTransport } from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace, waitFor, withJetStream } from '@mailroom/testing';

jest.setTimeout(90_000);

/**
 * How the transport paces work: each process handles at most `concurrency` messages at once and
 * pulls no more than that; a handler that outlives its ack wait keeps its message; a graceful
 * close finishes or hands back what is in flight. Several transports in this test process stand
 * for several service processes on one durable consumer.
 */

const PROCESS = Symbol('process label');

interface Handled {
  readonly process: string;
  readonly newsletterId: string;
  readonly deliveryCount: number;
}

/** Messages being handled, started and finished, across every transport of the test. */
const started: Handled[] = [];
const finished: Handled[] = [];
const running = new Map<string, number>();
const mostAtOnce = new Map<string, number>();
/** Handlers wait here until the test lets them finish (`release`), or for a set time (`hold`). */
const gates = new Map<string, { promise: Promise<void>; open: () => void }>();
const holds = new Map<string, number>();

function gate(newsletterId: string) {
  let entry = gates.get(newsletterId);
  if (!entry) {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    entry = { promise, open };
    gates.set(newsletterId, entry);
  }
  return entry;
}
const release = (newsletterId: string) => gate(newsletterId).open();

@Controller()
class GatedHandler {
  constructor(@Inject(PROCESS) private readonly process: string) {}

  @EventPattern(Events.NewsletterRequested)
  async handle(@Payload() event: NewsletterRequestedEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    const handled = { process: this.process, newsletterId: event.newsletterId, deliveryCount: ctx.deliveryCount };
    started.push(handled);
    const now = (running.get(this.process) ?? 0) + 1;
    running.set(this.process, now);
    mostAtOnce.set(this.process, Math.max(now, mostAtOnce.get(this.process) ?? 0));
    try {
      const holdMs = holds.get(event.newsletterId);
      // A long job: the time is the point (it outlasts the ack wait), not something to wait for.
      if (holdMs !== undefined) await new Promise((resolve) => setTimeout(resolve, holdMs));
      else await gate(event.newsletterId).promise;
    } finally {
      running.set(this.process, (running.get(this.process) ?? 1) - 1);
    }
    finished.push(handled);
  }
}

interface ProcessOptions {
  readonly concurrency: number;
  readonly ackWaitMs: number;
  readonly shutdownTimeoutMs?: number;
}

/** One "service process": its own NATS connection, a transport on the requests stream. */
async function startProcess(namespace: string, label: string, options: ProcessOptions): Promise<INestApplication> {
  @Module({
    imports: [
      JetStreamModule.forRoot({
        service: `flow-${label}`,
        config: { natsUrl: TEST_NATS_URL, namespace, streamReplicas: 1, bootTimeoutMs: 30_000 },
      }),
    ],
    controllers: [GatedHandler],
    providers: [{ provide: PROCESS, useValue: label }],
  })
  class ProcessModule {}
  const app = await NestFactory.create(ProcessModule, { logger: false });
  const t = topology(namespace);
  connectJetStreamTransport(app, {
    consumers: [
      {
        stream: 'requests',
        durable: t.consumers.splitter,
        concurrency: options.concurrency,
        ackWaitMs: options.ackWaitMs,
        retry: { maxDeliver: 5, baseDelayMs: 200, maxDelayMs: 400 },
      },
    ],
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
    bootBudgetMs: 30_000,
  });
  await app.startAllMicroservices();
  await app.init();
  return app;
}

let published = 0;
/** `holdMs`: how long each handler of these messages runs, set before the message can arrive. */
async function publish(app: INestApplication, t: Topology, count = 1, holdMs?: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    published += 1;
    const newsletterId = `00000000-0000-4000-8000-${String(published).padStart(12, '0')}`;
    if (holdMs !== undefined) holds.set(newsletterId, holdMs);
    const event: NewsletterRequestedEvent = {
      newsletterId,
      occurredAt: new Date().toISOString(),
      contentObject: 'content',
      recipientsObject: 'recipients',
      submittedRecipients: 1,
      batchSize: 1,
    };
    await withJetStream((js) => js.publish(eventSubject(t, Events.NewsletterRequested), JSON.stringify(event)));
    ids.push(newsletterId);
  }
  return ids;
}

const consumerInfo = (_app: INestApplication, t: Topology) => withJetStream((_js, jsm) => jsm.consumers.info(t.streams.requests, t.consumers.splitter));
const startedOf = (ids: readonly string[]) => started.filter((h) => ids.includes(h.newsletterId));
const finishedOf = (ids: readonly string[]) => finished.filter((h) => ids.includes(h.newsletterId));

/** Each test gets a namespace of its own; its processes are closed at the end even when it fails. */
function scenario() {
  const namespace = uniqueNamespace('flow');
  const t = topology(namespace);
  const apps: INestApplication[] = [];
  return {
    t,
    start: async (label: string, options: ProcessOptions) => {
      const app = await startProcess(namespace, label, options);
      apps.push(app);
      return app;
    },
    /** Lets every held handler finish, closes what is still open, deletes the namespace. */
    end: async () => {
      for (const { open } of gates.values()) open();
      await Promise.allSettled(apps.map((app) => app.close()));
      await deleteNamespace(namespace);
    },
  };
}

describe('JetStreamServer pacing and shutdown (real NATS)', () => {
  it('handles at most `concurrency` messages per process and pulls no more than that: two processes of 2 hold 4 of 6', async () => {
    const s = scenario();
    try {
      const a = await s.start('a', { concurrency: 2, ackWaitMs: 30_000 });
      const b = await s.start('b', { concurrency: 2, ackWaitMs: 30_000 });
      const ids = await publish(a, s.t, 6);

      await waitFor(() => startedOf(ids).length, (n) => n === 4, { timeoutMs: 10_000, description: 'four messages in work' });
      // Both processes work, each on as many as it has slots; the other two wait on the server,
      // not in a local buffer where their ack wait would run.
      expect([running.get('a'), running.get('b')]).toEqual([2, 2]);
      const held = await consumerInfo(a, s.t);
      expect({ inWork: held.num_ack_pending, waiting: held.num_pending }).toEqual({ inWork: 4, waiting: 2 });

      for (const id of ids) release(id);
      await waitFor(() => finishedOf(ids).length, (n) => n === 6, { timeoutMs: 10_000, description: 'all six handled' });
      expect(Math.max(mostAtOnce.get('a')!, mostAtOnce.get('b')!)).toBe(2);
      expect(startedOf(ids).map((h) => h.deliveryCount)).toEqual([1, 1, 1, 1, 1, 1]);
      await waitFor(() => consumerInfo(b, s.t), (info) => info.num_ack_pending === 0 && info.num_pending === 0, {
        timeoutMs: 10_000,
        description: 'every message acked',
      });
    } finally {
      await s.end();
    }
  });

  it('keeps a message whose handler runs for three ack waits: no second delivery, acked once done', async () => {
    const ackWaitMs = 3_000;
    const s = scenario();
    try {
      const app = await s.start('slow', { concurrency: 2, ackWaitMs });
      // The hold is set before the message is published: the first delivery already carries it
      // (set after the publish, a fast delivery would wait on the gate instead, for ever).
      const [id] = await publish(app, s.t, 1, 3 * ackWaitMs);
      await waitFor(() => finishedOf([id!]).length, (n) => n === 1, { timeoutMs: 6 * ackWaitMs, description: 'the long handler to finish' });

      const info = await waitFor(() => consumerInfo(app, s.t), (i) => i.num_ack_pending === 0, { timeoutMs: 10_000, description: 'the ack' });
      // Had the ack wait run out, the server would have delivered it again (to the free slot).
      expect(info.delivered.consumer_seq).toBe(1);
      expect(info.num_redelivered).toBe(0);
      expect(startedOf([id!])).toEqual([{ process: 'slow', newsletterId: id, deliveryCount: 1 }]);
    } finally {
      await s.end();
    }
  });

  it('on close, takes no new work (what reaches it is handed back), lets the work in flight finish and acks it', async () => {
    const ackWaitMs = 60_000;
    const s = scenario();
    try {
      const a = await s.start('closing', { concurrency: 2, ackWaitMs, shutdownTimeoutMs: 20_000 });
      const [first] = await publish(a, s.t);
      await waitFor(() => startedOf([first!]).length, (n) => n === 1, { timeoutMs: 10_000, description: 'the first message in work' });

      let closed = false;
      const closing = a.close().then(() => (closed = true));
      // Published while closing: the pull still open on the server may deliver it here.
      const [second] = await publish(a, s.t);
      await waitFor(() => consumerInfo(a, s.t), (info) => info.num_waiting === 0, { timeoutMs: 10_000, description: 'no pull left open' });
      expect(closed).toBe(false);
      release(first!);
      await closing;
      expect(finishedOf([first!])).toHaveLength(1);

      const b = await s.start('next', { concurrency: 2, ackWaitMs });
      release(second!);
      // Far below the ack wait: a message lost into a stopped pull would only come back after it.
      await waitFor(() => finishedOf([second!]).length, (n) => n === 1, { timeoutMs: ackWaitMs / 4, description: 'the next process to handle the second' });
      expect(startedOf([first!, second!]).map((h) => [h.newsletterId, h.process])).toEqual([
        [first, 'closing'],
        [second, 'next'],
      ]);
      await waitFor(() => consumerInfo(b, s.t), (i) => i.num_ack_pending === 0 && i.num_pending === 0, { timeoutMs: 10_000, description: 'both acked' });
    } finally {
      await s.end();
    }
  });

  it('on close, hands back work that does not finish within the shutdown timeout: another process gets it long before its ack wait', async () => {
    const ackWaitMs = 60_000;
    const s = scenario();
    try {
      const stuck = await s.start('stuck', { concurrency: 1, ackWaitMs, shutdownTimeoutMs: 500 });
      const [id] = await publish(stuck, s.t);
      await waitFor(() => startedOf([id!]).length, (n) => n === 1, { timeoutMs: 10_000, description: 'the message in work' });
      const other = await s.start('other', { concurrency: 1, ackWaitMs });

      const closing = stuck.close();
      const redelivered = await waitFor(
        () => startedOf([id!]).filter((h) => h.process === 'other'),
        (h) => h.length === 1,
        // Far below the ack wait: only a nak on close brings it back this soon.
        { timeoutMs: ackWaitMs / 4, description: 'the other process to get the message' },
      );
      expect(redelivered[0]!.deliveryCount).toBe(2);
      // The close is over although the stuck handler still runs: the timeout bounds it.
      await closing;
      expect(finishedOf([id!])).toEqual([]);
      release(id!);
      await waitFor(() => consumerInfo(other, s.t), (i) => i.num_ack_pending === 0 && i.num_pending === 0, {
        timeoutMs: 10_000,
        description: 'the message acked by the other process',
      });
    } finally {
      await s.end();
    }
  });
});
