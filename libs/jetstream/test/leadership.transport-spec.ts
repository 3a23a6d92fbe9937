import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { leaderLeaseKey, topology } from '@mailroom/contracts';
import { Leadership, provisionTopology, type LeaderElection, type Stores } from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace, waitFor } from '@mailroom/testing';

jest.setTimeout(30_000);

const RENEW_MS = 200;

describe('Leadership (real NATS)', () => {
  const namespace = uniqueNamespace('lead');
  let nc: NatsConnection;
  let stores: Stores;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    ({ stores } = await provisionTopology(jetstream(nc), await jetstreamManager(nc), topology(namespace), { replicas: 1, budgetMs: 30_000 }));
  });

  afterAll(async () => {
    await nc?.close();
    await deleteNamespace(namespace);
  });

  it('elects one leader among three, never two at once, and hands over on a graceful stop', async () => {
    let leading = 0;
    let mostAtOnce = 0;
    const elections: LeaderElection[] = [];
    for (let i = 0; i < 3; i += 1) {
      elections.push(
        new Leadership(stores).elect({
          role: 'tracker',
          renewMs: RENEW_MS,
          onChange: (now) => {
            leading += now ? 1 : -1;
            mostAtOnce = Math.max(mostAtOnce, leading);
          },
        }),
      );
    }
    elections.forEach((e) => e.start());
    const first = await waitFor(
      () => elections.filter((e) => e.isLeader),
      (leaders) => leaders.length === 1,
      { timeoutMs: 5_000, intervalMs: 20, description: 'a leader' },
    ).then((leaders) => leaders[0]!);
    // Several renewals later it still leads, alone.
    const record = async () => (await stores.batchLeases.get(leaderLeaseKey('tracker')))!;
    const revision = (await record()).revision;
    await waitFor(record, (entry) => entry.revision >= revision + 5, { timeoutMs: 5_000, intervalMs: 50, description: 'five renewals' });
    expect(elections.filter((e) => e.isLeader)).toEqual([first]);
    expect((await record()).json<{ owner: string }>().owner).toBe(first.owner);

    // A graceful stop hands the lease back: another replica takes it at its next look.
    await first.stop();
    const second = await waitFor(
      () => elections.filter((e) => e.isLeader),
      (leaders) => leaders.length === 1,
      { timeoutMs: RENEW_MS * 3, intervalMs: 20, description: 'a new leader' },
    ).then((leaders) => leaders[0]!);
    expect(second).not.toBe(first);
    expect((await record()).json<{ owner: string }>().owner).toBe(second.owner);

    await Promise.all(elections.map((e) => e.stop()));
    expect(mostAtOnce).toBe(1);
    expect(leading).toBe(0);
  });
});
