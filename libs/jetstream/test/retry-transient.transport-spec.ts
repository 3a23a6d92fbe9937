import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { retryTransient } from '../src/resilience/retry-transient';
import { isTransientNatsError } from '../src/resilience/transient-errors';
import { TEST_NATS_URL, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(30_000);

/**
 * The errors a real NATS gives, as retryTransient sees them: a request nobody answers yet (the
 * JetStream API or a service still starting) is worth another try; a stream that does not exist
 * is not.
 */
describe('retryTransient and isTransientNatsError (real NATS)', () => {
  const subject = `${uniqueNamespace('retry')}.query`;
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await nc?.close();
  });

  const ask = async () => new TextDecoder().decode((await nc.request(subject, 'ping', { timeout: 2_000 })).data);

  it('classifies "no responders" as transient and "stream not found" as not', async () => {
    const noResponders = await ask().catch((error: unknown) => error);
    expect(noResponders).toBeInstanceOf(Error);
    expect((noResponders as Error).message).toMatch(/no responders/);
    expect(isTransientNatsError(noResponders)).toBe(true);

    const jsm = await jetstreamManager(nc);
    const missing = await jsm.streams.info(`${subject.replace(/\./g, '-')}-nothing`).catch((error: unknown) => error);
    expect((missing as Error).name).toBe('StreamNotFoundError');
    expect(isTransientNatsError(missing)).toBe(false);
  });

  it('keeps asking until a responder appears, then returns its answer', async () => {
    const retries: number[] = [];
    const answer = await retryTransient(ask, {
      budgetMs: 10_000,
      onRetry: (_error, attempt) => {
        retries.push(attempt);
        // The responder comes up after the second failed try.
        if (attempt === 2) nc.subscribe(subject, { max: 1, callback: (_e, msg) => void msg.respond('pong') });
      },
    });
    expect(answer).toBe('pong');
    expect(retries.slice(0, 2)).toEqual([1, 2]);
  });

  it('gives up with the last error once its budget is spent', async () => {
    const lonely = `${subject}.lonely`;
    let retries = 0;
    const startedAt = Date.now();
    const failure = await retryTransient(() => nc.request(lonely, 'ping', { timeout: 2_000 }), {
      budgetMs: 1_000,
      onRetry: () => (retries += 1),
    }).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/no responders/);
    expect(retries).toBeGreaterThanOrEqual(3);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_000);
  });

  it('does not retry what is not transient', async () => {
    const jsm = await jetstreamManager(nc);
    let tries = 0;
    await expect(
      retryTransient(
        () => {
          tries += 1;
          return jsm.streams.info(`${subject.replace(/\./g, '-')}-nothing`);
        },
        { budgetMs: 5_000 },
      ),
    ).rejects.toThrow(/stream not found/);
    expect(tries).toBe(1);
  });
});
