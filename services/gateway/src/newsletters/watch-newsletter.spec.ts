import { lastValueFrom, toArray } from 'rxjs';
import type { NewsletterStatus, NewsletterView } from '@mailroom/contracts';
import { ManualClock } from '@mailroom/testing';
import { NotFoundError, ServiceUnavailableError } from '../http/api-errors';
import { watchNewsletter, type WatchOptions } from './watch-newsletter';

const view = (status: NewsletterStatus, sent: number): NewsletterView => ({
  id: 'n1',
  status,
  total: 3,
  sent,
  failed: 0,
  suppressed: 0,
  bounced: 0,
  complained: 0,
  opens: 0,
  clicks: 0,
  clicksTotal: 0,
  machineOpens: 0,
  unsubscribes: 0,
  links: [],
      cancelled: 0,
      sendAt: null,
      test: false,
  priority: 'normal',
  pending: 3 - sent,
  duplicates: 0,
  batches: { total: 1, completed: status === 'completed' ? 1 : 0, deadLettered: 0 },
  rounds: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: null,
  completedAt: null,
  ratePerSecond: 0,
  etaSeconds: null,
});

/** A tracker that answers a script of views (or errors), one per poll; the clock moves one interval per sleep. */
function scripted(answers: ReadonlyArray<NewsletterView | Error>, overrides: Partial<WatchOptions> = {}) {
  const clock = new ManualClock(0);
  let polls = 0;
  const options: WatchOptions = {
    get: () => {
      const answer = answers[Math.min(polls, answers.length - 1)]!;
      polls += 1;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    pollIntervalMs: 500,
    outageGraceMs: 2_000,
    clock,
    sleep: clock.sleep,
    shutdown: new AbortController().signal,
    ...overrides,
  };
  return { options, polls: () => polls };
}

const collect = (options: WatchOptions) => lastValueFrom(watchNewsletter('n1', options).pipe(toArray()));

describe('watchNewsletter', () => {
  it('pushes the first state and every change, and completes on a final status', async () => {
    const { options, polls } = scripted([view('queued', 0), view('queued', 0), view('sending', 1), view('sending', 1), view('sending', 2), view('completed', 3)]);
    const seen = await collect(options);
    expect(seen.map((v) => `${v.status}:${v.sent}`)).toEqual(['queued:0', 'sending:1', 'sending:2', 'completed:3']);
    expect(polls()).toBe(6);
  });

  it('sends one message for a newsletter that has already settled', async () => {
    const { options, polls } = scripted([view('completed', 3)]);
    expect(await collect(options)).toHaveLength(1);
    expect(polls()).toBe(1);
  });

  it('ends with NOT_FOUND when there is no such newsletter', async () => {
    const { options } = scripted([new NotFoundError('No newsletter with id n1')]);
    await expect(collect(options)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('ends at once when the tracker is unavailable before the first answer', async () => {
    const { options } = scripted([new ServiceUnavailableError('down')]);
    await expect(collect(options)).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('waits out a short tracker outage in the middle of a watch', async () => {
    const down = new ServiceUnavailableError('down');
    const { options } = scripted([view('sending', 1), down, down, view('completed', 3)]);
    expect((await collect(options)).map((v) => v.status)).toEqual(['sending', 'completed']);
  });

  it('gives up on an outage longer than the grace', async () => {
    const down = new ServiceUnavailableError('down');
    const { options } = scripted([view('sending', 1), down, down, down, down, down, down, view('completed', 3)]);
    await expect(collect(options)).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('ends with UNAVAILABLE when the gateway shuts down', async () => {
    const shutdown = new AbortController();
    const { options } = scripted([view('sending', 1)], {
      sleep: () => {
        shutdown.abort();
        return Promise.resolve();
      },
      shutdown: shutdown.signal,
    });
    await expect(collect(options)).rejects.toThrow('The gateway is shutting down; watch again');
  });

  it('stops polling when the subscriber goes away', async () => {
    const { options, polls } = scripted([view('sending', 1)], {
      sleep: (_ms, signal) => new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true })),
    });
    const subscription = watchNewsletter('n1', options).subscribe();
    await new Promise((resolve) => setImmediate(resolve));
    subscription.unsubscribe();
    await new Promise((resolve) => setImmediate(resolve));
    expect(polls()).toBe(1);
  });
});
