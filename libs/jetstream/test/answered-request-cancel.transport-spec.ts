import { MuxSubscription, RequestOne, connect, errors, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { uniqueNamespace, TEST_NATS_URL } from '@mailroom/testing';
import { isAnsweredRequestCancelCheap, makeAnsweredRequestCancelCheap } from '../src/connection/answered-request-cancel';

jest.setTimeout(30_000);

interface RequestInternals {
  readonly deferred: Promise<unknown> & { reject(error: unknown): void };
  resolver(error: Error | null, message: unknown): void;
  cancel(error?: Error): void;
}

/** A request as nats-core makes one (its own classes, no connection needed), and what its cancel rejects with. */
function request(): { readonly request: RequestInternals; readonly rejections: unknown[] } {
  const made = new RequestOne(new MuxSubscription(), 'subject', { timeout: 60_000 }) as unknown as RequestInternals;
  const rejections: unknown[] = [];
  // What the caller of nc.request would await; here nobody does.
  made.deferred.catch(() => undefined);
  const reject = made.deferred.reject.bind(made.deferred);
  made.deferred.reject = (error: unknown) => {
    rejections.push(error);
    reject(error);
  };
  return { request: made, rejections };
}

describe('answered requests cancel without building an error (nats-core RequestOne)', () => {
  beforeAll(() => makeAnsweredRequestCancelCheap());

  it('is in effect on the installed nats-core (its RequestOne still has resolver and cancel)', () => {
    makeAnsweredRequestCancelCheap();
    expect(isAnsweredRequestCancelCheap()).toBe(true);
  });

  it('rejects every answered request, after its answer, with one error built once; a request cancelled unanswered gets its own', () => {
    const first = request();
    const second = request();
    first.request.resolver(null, 'answer');
    second.request.resolver(null, 'answer');
    expect(first.rejections).toHaveLength(1);
    expect(first.rejections[0]).toBe(second.rejections[0]);
    expect(first.rejections[0]).toBeInstanceOf(errors.RequestError);

    const unanswered = request();
    unanswered.request.cancel();
    expect(unanswered.rejections[0]).toBeInstanceOf(errors.RequestError);
    expect((unanswered.rejections[0] as Error).message).toBe('cancelled');
    expect(unanswered.rejections[0]).not.toBe(first.rejections[0]);
  });

  describe('over a real connection', () => {
    const subject = `${uniqueNamespace('reqcancel')}.echo`;
    let nc: NatsConnection;

    beforeAll(async () => {
      nc = await connect({ servers: TEST_NATS_URL, noAsyncTraces: true });
      nc.subscribe(subject, { callback: (_error, message: Msg) => {
          message.respond(`echo ${message.string()}`);
        },
      });
      await nc.flush();
    });

    afterAll(async () => {
      await nc?.close();
    });

    it('still resolves a request with its answer, many at once', async () => {
      const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => nc.request(subject, String(i), { timeout: 5_000 })));
      expect(answers.map((m) => m.string())).toEqual(Array.from({ length: 200 }, (_, i) => `echo ${i}`));
    });

    it('still fails a request nobody answers', async () => {
      await expect(nc.request(`${subject}.nobody`, 'x', { timeout: 2_000 })).rejects.toBeInstanceOf(errors.RequestError);
    });
  });
});
