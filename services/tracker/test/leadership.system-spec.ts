import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, ServiceProcess, SmtpSink, TEST_NATS_URL, waitFor } from '@mailroom/testing';

jest.setTimeout(180_000);

const RENEW_MS = 1_000;

/**
 * Two tracker replicas: one leads and exports the namespace-wide gauges (so `sum()` in Prometheus
 * counts once), the other exports none; when the leader dies, the other takes over.
 */
describe('tracker leadership (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let second: ServiceProcess;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ keepMessages: false });
    const trackerEnv = { TRACKER_LEADER_RENEW_MS: String(RENEW_MS) };
    stack = await MailroomStack.start({ smtpUrl: smtp.url, serviceEnv: { tracker: trackerEnv } });
    second = await ServiceProcess.start('tracker', {
      env: { NATS_URL: TEST_NATS_URL, MAILROOM_NAMESPACE: stack.namespace, LOG_LEVEL: 'info', ...trackerEnv },
      label: 'tracker-2',
    });
  });

  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
    await smtp?.close();
  });

  const metricsOf = async (tracker: ServiceProcess) => (await fetch(`${tracker.baseUrl}/metrics`)).text();
  const leaderValue = (text: string) => /^mailroom_tracker_leader (\d+)$/m.exec(text)?.[1];
  /** Series (not HELP/TYPE lines) of a metric. */
  const series = (text: string, name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
  const NAMESPACE_WIDE = [
    'mailroom_newsletters',
    'mailroom_newsletters_stalled',
    'mailroom_consumer_pending_messages',
    'mailroom_consumer_ack_pending_messages',
    'mailroom_stream_messages',
  ];

  it('elects exactly one leader, which alone exports the namespace-wide gauges; kill -9 of it hands over within the lease', async () => {
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Leader', text: 'Hello', recipients: ['ann@example.org', 'bob@example.org'] },
    });
    await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed');

    const trackers = [stack.tracker, second];
    const roles = await waitFor(
      async () => Promise.all(trackers.map(async (tracker) => ({ tracker, text: await metricsOf(tracker) }))),
      // The leader's index is loaded once it counts the newsletter just sent.
      (all) =>
        all.map((r) => leaderValue(r.text)).sort().join() === '0,1' &&
        all.some((r) => series(r.text, 'mailroom_newsletters').includes('mailroom_newsletters{status="completed"} 1')),
      { timeoutMs: 20_000, intervalMs: 200, description: 'one leader and one follower' },
    );
    const leader = roles.find((r) => leaderValue(r.text) === '1')!;
    const follower = roles.find((r) => leaderValue(r.text) === '0')!;
    for (const name of NAMESPACE_WIDE) {
      expect({ name, leader: series(leader.text, name).length > 0 }).toEqual({ name, leader: true });
      expect({ name, follower: series(follower.text, name) }).toEqual({ name, follower: [] });
    }
    // Per-replica facts stay on every replica (each counts what it folded).
    expect(series(follower.text, 'mailroom_emails_sent_total')).toHaveLength(1);

    // A crash: no shutdown hook hands the lease back, so it has to expire. It lasts 2 × renew
    // from the last renewal (before the kill) and a follower looks every renew / 2: the survivor
    // leads within 2.5 × renew; the last half renew is for this poll.
    await leader.tracker.kill();
    const killedAt = Date.now();
    const taken = await waitFor(
      () => metricsOf(follower.tracker),
      (text) => leaderValue(text) === '1' && series(text, 'mailroom_newsletters').length > 0,
      { timeoutMs: 20_000, intervalMs: 100, description: 'the survivor to lead' },
    );
    expect(Date.now() - killedAt).toBeLessThan(3 * RENEW_MS);
    expect(series(taken, 'mailroom_newsletters')).toContain('mailroom_newsletters{status="completed"} 1');
    expect(series(taken, 'mailroom_consumer_pending_messages').length).toBeGreaterThan(0);
  });
});
