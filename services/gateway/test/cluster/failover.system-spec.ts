import { setTimeout as delay } from 'node:timers/promises';
import { topology, type NewsletterView, type Topology } from '@mailroom/contracts';
import {
  kvStreamName,
  longestGap,
  MailroomStack,
  namespaceStreamNames,
  NatsCluster,
  SmtpSink,
} from '@mailroom/testing';
import { clusterServers, clusterStackOptions, deliveryCounts, recipientsOf } from './cluster-setup';

jest.setTimeout(300_000);

const RECIPIENTS = 6_000;
/** How long the killed server stays down: longer than an election (4–7 s on 2.9.10). */
const OUTAGE_MS = 8_000;
/**
 * Once every stream and consumer of the namespace has a running leader again, delivery must be
 * going within this: a pull (2 s) or a JetStream request (1.5 s) aimed at the dead leader runs
 * out and the retry reaches the new one. The election itself is the cluster's (4–7 s on 2.9.10,
 * longer on a loaded machine), so it is measured, not assumed. Usually delivery is going again
 * before the last election ends (0–4 ms after it); the worst seen was 3.7 s with four builds
 * running beside the test. Before the fixes: requests waited out a 10 s timeout on the dead
 * leader; delivery stood still ~50 s (once in six runs) until the ack wait ran out, because acks
 * and lease releases sent while there was no leader were dropped (now retried until confirmed)
 * and "jetstream is not enabled" (the client's word for no responders) was not taken as passing.
 */
const MAX_RESUME_AFTER_ELECTION_MS = 5_000;

/**
 * One server of three dies (kill -9) at ~30 % of a 6,000-recipient newsletter and comes back
 * 8 s later: first the server leading the delivery ledger's bucket, then (on 2.9.10) the one
 * leading the batch stream. Every recipient must get the newsletter exactly once, it must complete, and
 * delivery must not stand still for the length of the outage. One cluster and one stack (two
 * senders, STREAM_REPLICAS=3) for both cases; the cluster is whole again between them.
 */
describe.each(clusterServers)('a NATS server dies mid-send (nats-server %s)', (_version, server) => {
  let cluster: NatsCluster;
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let t: Topology;

  beforeAll(async () => {
    cluster = await NatsCluster.start({ binary: server.path });
    smtp = await SmtpSink.start({ keepMessages: false });
    stack = await MailroomStack.start(clusterStackOptions(cluster, smtp.url, { senders: 2 }));
    t = topology(stack.namespace);
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    await cluster?.destroy();
  });

  afterEach(async () => {
    // The next case starts from a whole cluster and ready services.
    await cluster.heal();
    await cluster.waitForStreamsCurrent(namespaceStreamNames(stack.namespace), 60_000);
    for (const service of stack.all) await service.waitUntilReady(60_000);
  });

  /** Sends, kills the leader of `stream` at ~30 %, restarts it after the outage, and reports what the sink saw. */
  async function sendThroughLeaderLoss(label: string, stream: string) {
    const recipients = recipientsOf(`${label}-`, RECIPIENTS);
    const acceptedBefore = smtp.acceptedTotal;
    const arrivalsBefore = smtp.receivedAt.length;
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body: { subject: label, text: 'Hello', recipients, batchSize: 100 } });
    expect(res.status).toBe(202);

    await smtp.waitForMessages(acceptedBefore + RECIPIENTS * 0.3, 120_000);
    const victim = await cluster.streamLeader(stream);
    const placement = await cluster.stream(stream);
    const consumerLeader = await cluster.consumerLeader(t.streams.batches, t.consumers.sender);
    const atKill = smtp.acceptedTotal - acceptedBefore;
    const killedAt = Date.now();
    await cluster.kill(victim);
    const elected = cluster.waitForLiveLeaders([...namespaceStreamNames(stack.namespace), `${t.streams.batches}/${t.consumers.sender}`]);
    // The outage itself (a server that is down for 8 s), not a wait for a condition.
    await delay(OUTAGE_MS);
    cluster.revive(victim);
    const electedAt = await elected;

    const view = await stack
      .waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed', 120_000)
      .catch(async (error: Error) => ({ ...(await stack.request<NewsletterView>('GET', `/v1/newsletters/${res.body.id}`)).body, timedOut: error.message }));
    const arrivals = smtp.receivedAt.slice(arrivalsBefore);
    const gap = longestGap(arrivals);
    const resumedAt = arrivals.filter((at) => at >= electedAt).sort((a, b) => a - b)[0] ?? electedAt;
    const { lost, duplicates } = deliveryCounts(recipients, smtp.deliveriesTo);
    process.stdout.write(
      `[${server.version}] kill -9 of ${stream}'s leader ${victim} (R${placement.replicas}; sender consumer led by ${consumerLeader}) ` +
        `after ${atKill} of ${RECIPIENTS} accepted, back after ${OUTAGE_MS} ms: status ${view.status} (sent ${view.sent}, pending ${view.pending}); ` +
        `${lost} lost, ${duplicates} duplicate(s); longest gap between deliveries ${gap.gapMs} ms ` +
        `(from ${gap.from - killedAt} to ${gap.from + gap.gapMs - killedAt} ms after the kill); ` +
        `new leaders elected ${electedAt - killedAt} ms after the kill, delivery resumed ${resumedAt - electedAt} ms after that\n`,
    );
    return { view, lost, duplicates, resumeMs: resumedAt - electedAt };
  }

  it('kill -9 of the delivery ledger bucket’s leader: completed, everyone exactly once, delivery resumes within 5 s of the new leaders’ election', async () => {
    const result = await sendThroughLeaderLoss('ledger', kvStreamName(t.buckets.ledger));
    expect(result.view).toMatchObject({ status: 'completed', total: RECIPIENTS, sent: RECIPIENTS, failed: 0, pending: 0 });
    expect({ lost: result.lost, duplicates: result.duplicates }).toEqual({ lost: 0, duplicates: 0 });
    expect(result.resumeMs).toBeLessThan(MAX_RESUME_AFTER_ELECTION_MS);
  });

  // On 2.9.10 (the version this machine and CI run, where the batch stream's leader loss found the
  // bugs so far) only: a case costs ~50 s, and CI must stay under 20 minutes; 2.10.27 runs the
  // ledger case (and the scale-out test).
  (server.version.includes('2.9') ? it : it.skip)('kill -9 of the batch stream’s leader: completed, everyone exactly once, delivery resumes within 5 s of the new leaders’ election', async () => {
    const result = await sendThroughLeaderLoss('batches', t.streams.batches);
    expect(result.view).toMatchObject({ status: 'completed', total: RECIPIENTS, sent: RECIPIENTS, failed: 0, pending: 0 });
    expect({ lost: result.lost, duplicates: result.duplicates }).toEqual({ lost: 0, duplicates: 0 });
    expect(result.resumeMs).toBeLessThan(MAX_RESUME_AFTER_ELECTION_MS);
  });
});
