import { topology, type NewsletterView } from '@mailroom/contracts';
import { MailroomStack, NatsCluster, namespaceStreamNames, SmtpSink, waitFor, type ConsumerState } from '@mailroom/testing';
import { clusterServers, clusterStackOptions, deliveryCounts, recipientsOf } from './cluster-setup';

jest.setTimeout(300_000);

const SENDERS = 6;
const SENDER_CONCURRENCY = 4;

/** The newsletter once completed, or as it stands at the deadline (the assertions then say what is wrong). */
async function settled(s: MailroomStack, id: string, timeoutMs: number): Promise<NewsletterView> {
  return s
    .waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed', timeoutMs)
    .catch(async () => (await s.request<NewsletterView>('GET', `/v1/newsletters/${id}`)).body);
}

/** Every service's warnings and errors (pino level ≥ 40), for a report of what went wrong. */
function complaints(s: MailroomStack): string {
  const lines = s.all.flatMap((p) => p.output.filter((l) => /"level":(4|5|6)0/.test(l)).slice(-5).map((l) => `  ${p.label}: ${l.slice(0, 300)}`));
  return `${lines.join('\n')}\n`;
}

/**
 * Mailroom as Kubernetes runs it: a 3-node JetStream cluster, `STREAM_REPLICAS=3`, every service
 * started at once, six senders. One cluster and one stack for the three cases, in order: the boot
 * needs a fresh cluster, the in-flight count a running stack, the replica check a sender that
 * restarted last.
 */
describe.each(clusterServers)('scale-out on a 3-node cluster (nats-server %s)', (_version, server) => {
  let cluster: NatsCluster;
  let smtp: SmtpSink;
  let stack: MailroomStack | undefined;

  beforeAll(async () => {
    cluster = await NatsCluster.start({ binary: server.path });
    smtp = await SmtpSink.start({ keepMessages: false });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    await cluster?.destroy();
  });

  const options = (extra: { oneAtATime?: boolean } = {}) =>
    clusterStackOptions(cluster, smtp.url, { senders: SENDERS, serviceEnv: { sender: { SENDER_CONCURRENCY: String(SENDER_CONCURRENCY) } }, ...extra });

  /** The stack the boot case started, or (when that boot failed) one started a service at a time, so the later cases still measure. */
  const running = async (): Promise<MailroomStack> => (stack ??= await MailroomStack.start(options({ oneAtATime: true })));

  it('tracker, splitter, gateway and six senders started at the same moment on a fresh cluster all become ready, and work', async () => {
    // MailroomStack.start fails naming every service that exited or never became ready.
    stack = await MailroomStack.start(options());
    expect(stack.all.filter((p) => !p.running).map((p) => p.label)).toEqual([]);
    // Ready must mean working: a small newsletter goes through all four services.
    const recipients = recipientsOf('boot', 20);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body: { subject: 'Boot', text: 'Hello', recipients, batchSize: 5 } });
    const view = res.status === 202 ? await settled(stack, res.body.id, 60_000) : undefined;
    process.stdout.write(
      `[${server.version}] concurrent boot: ${stack.all.length} processes ready; a 20-recipient newsletter then: POST ${res.status}` +
        `${res.status === 202 ? '' : ` ${JSON.stringify(res.body)}`}, ${view?.status} (sent ${view?.sent})\n`,
    );
    const exited = stack.all.filter((p) => !p.running).map((p) => p.label);
    if (view?.status !== 'completed') {
      process.stdout.write(complaints(stack));
      // A stack that does not work would only stall the next cases: they start their own.
      const broken = stack;
      stack = undefined;
      await broken.stop();
    }
    expect(res.status).toBe(202);
    expect(view).toMatchObject({ status: 'completed', sent: 20 });
    expect(exited).toEqual([]);
  });

  it('six senders × 4 hold at least 20 batches at once against a slow SMTP server', async () => {
    const s = await running();
    const t = topology(s.namespace);
    // A provider holding each message 1.5 s: a batch of 10 lasts seconds, so every free slot fills.
    smtp.setLatency(1_500);
    const recipients = recipientsOf('inflight', 600);
    const res = await s.request<{ id: string }>('POST', '/v1/newsletters', { body: { subject: 'In flight', text: 'Hello', recipients, batchSize: 10 } });
    expect(res.status).toBe(202);

    let most: ConsumerState | undefined;
    const atMost = (c: ConsumerState) => {
      if (!most || c.ackPending > most.ackPending) most = c;
      return c.ackPending >= 20;
    };
    const reached = await waitFor(() => cluster.consumer(t.streams.batches, t.consumers.sender), atMost, {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: 'at least 20 batches in flight',
    }).then(
      () => true,
      () => false,
    );
    smtp.setLatency(0);
    process.stdout.write(
      `[${server.version}] in flight: at most ${most?.ackPending} batches acked-pending at once (target ≥ 20 of ${SENDERS} × ${SENDER_CONCURRENCY}; ` +
        `consumer max_ack_pending ${most?.maxAckPending}, ${most?.pending} still waiting then; reached: ${reached})\n`,
    );
    const view = await settled(s, res.body.id, 120_000);
    const { lost, duplicates } = deliveryCounts(recipients, smtp.deliveriesTo);
    process.stdout.write(`[${server.version}] in-flight newsletter: ${view.status} (sent ${view.sent} of 600), ${lost} lost, ${duplicates} duplicate(s)\n`);

    expect(most?.ackPending).toBeGreaterThanOrEqual(20);
    expect(view).toMatchObject({ status: 'completed', total: 600, sent: 600, failed: 0 });
    expect({ lost, duplicates }).toEqual({ lost: 0, duplicates: 0 });
    expect(s.all.filter((p) => !p.running).map((p) => p.label)).toEqual([]);
  });

  it('every stream, KV bucket and object store of the namespace is R3 after a sender restarts last', async () => {
    const s = await running();
    const leaving = s.senders.find((p) => p.running)!;
    expect(await leaving.stop()).toEqual({ code: 0, signal: null });
    await s.addSender();

    const expected = namespaceStreamNames(s.namespace);
    const found = await cluster.streams((name) => expected.includes(name));
    const replicas = Object.fromEntries(found.map((f) => [f.name, f.replicas]));
    const notR3 = found.filter((f) => f.replicas !== 3).map((f) => `${f.name}=R${f.replicas}`);
    process.stdout.write(`[${server.version}] replicas after a sender restarted last: ${found.length - notR3.length} of ${expected.length} R3; not R3: ${notR3.join(', ') || 'none'}\n`);

    expect(replicas).toEqual(Object.fromEntries(expected.map((name) => [name, 3])));
  });
});
