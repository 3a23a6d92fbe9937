import type { SendLane } from '@mailroom/contracts';
import { FairShareQueue, type SendTicket } from './fair-share-queue';

const ticket = (newsletterId: string, lane: SendLane = 'normal', tenant = 'default'): SendTicket => ({ newsletterId, lane, tenant });
const never = new AbortController().signal;

/**
 * Holds the queue's only slot, queues `tickets` in order, then lets each granted send finish at
 * once: the order in which the newsletters got their turn.
 */
async function turns(queue: FairShareQueue, tickets: SendTicket[]): Promise<string[]> {
  const order: string[] = [];
  const blocker = await queue.acquire(ticket('blocker'), never);
  const done = tickets.map((t) => queue.run(t, never, () => Promise.resolve(order.push(t.newsletterId))));
  blocker();
  await Promise.all(done);
  return order;
}

const repeat = (t: SendTicket, n: number) => Array.from({ length: n }, () => t);
const share = (order: string[], id: string, first: number) => order.slice(0, first).filter((x) => x === id).length;

describe('FairShareQueue', () => {
  it('runs at most `capacity` sends at once and hands a freed slot on', async () => {
    const queue = new FairShareQueue(2);
    const a = await queue.acquire(ticket('n1'), never);
    await queue.acquire(ticket('n1'), never);
    let third = false;
    const waiting = queue.acquire(ticket('n1'), never).then(() => (third = true));
    await Promise.resolve();
    expect([third, queue.waiting('normal')]).toEqual([false, 1]);
    a();
    a(); // a second release of the same slot changes nothing
    await waiting;
    expect([third, queue.waiting('normal')]).toEqual([true, 0]);
  });

  it('gives a free slot at once without a wait, but never one a waiting send is owed, nor beyond capacity', async () => {
    const queue = new FairShareQueue(2);
    const first = queue.tryAcquire();
    expect(first).toBeDefined();
    const second = await queue.acquire(ticket('n1'), never);
    expect(queue.tryAcquire()).toBeUndefined(); // both slots taken
    let waiterServed = false;
    const waiter = queue.acquire(ticket('n2'), never).then((release) => {
      waiterServed = true;
      return release;
    });
    second();
    // The freed slot went to the waiting send: nothing left to take without waiting.
    expect(queue.tryAcquire()).toBeUndefined();
    (await waiter)();
    expect(waiterServed).toBe(true);
    first!();
    expect(queue.tryAcquire()).toBeDefined();
  });

  it('alternates between two newsletters whatever was queued first: a small one is not behind a large one', async () => {
    const order = await turns(new FairShareQueue(1), [...repeat(ticket('large'), 1000), ...repeat(ticket('small'), 30)]);
    // The small newsletter's 30 are done within the first 60 turns, not after the large one's 1,000.
    expect(order.lastIndexOf('small')).toBeLessThan(60);
  });

  it('serves the fast lane before anything else', async () => {
    const order = await turns(new FairShareQueue(1), [...repeat(ticket('bulk'), 50), ticket('test', 'fast')]);
    expect(order[0]).toBe('test');
  });

  it('shares by priority within a tenant: high 4, normal 2, low 1', async () => {
    const order = await turns(new FairShareQueue(1), [...repeat(ticket('low', 'low'), 700), ...repeat(ticket('normal', 'normal'), 700), ...repeat(ticket('high', 'high'), 700)]);
    // While all three wait (the first 700 turns): 400, 200 and 100.
    expect([share(order, 'high', 700), share(order, 'normal', 700), share(order, 'low', 700)]).toEqual([400, 200, 100]);
  });

  it('shares equally between tenants, however many newsletters each has and whatever their priority', async () => {
    const order = await turns(new FairShareQueue(1), [
      ...repeat(ticket('a1', 'high', 'a'), 300),
      ...repeat(ticket('a2', 'high', 'a'), 300),
      ...repeat(ticket('a3', 'high', 'a'), 300),
      ...repeat(ticket('b1', 'low', 'b'), 300),
    ]);
    const first = order.slice(0, 400);
    expect(first.filter((id) => id === 'b1').length).toBe(200);
  });

  it('gives a newsletter that starts waiting no credit for the time it was idle', async () => {
    const queue = new FairShareQueue(1);
    const order: string[] = [];
    // Each send takes a turn of the event loop, so the test can step in between.
    const send = (t: SendTicket) => queue.run(t, never, () => new Promise((resolve) => setImmediate(() => resolve(order.push(t.newsletterId)))));
    const blocker = await queue.acquire(ticket('blocker'), never);
    const early = repeat(ticket('early'), 100).map(send);
    blocker();
    // Let the early newsletter be served alone for a while, then a second one joins.
    while (order.length < 50) await new Promise((resolve) => setImmediate(resolve));
    const late = repeat(ticket('late'), 20).map(send);
    await Promise.all([...early, ...late]);
    const after = order.slice(order.indexOf('late'));
    // From its first turn on the two alternate: the late one does not take 50 turns in a row.
    expect(after.slice(0, 40).filter((id) => id === 'late').length).toBeLessThanOrEqual(21);
    expect(after.slice(0, 40).filter((id) => id === 'early').length).toBeGreaterThanOrEqual(19);
  });

  it('drops a send whose wait is aborted, and never counts it', async () => {
    const queue = new FairShareQueue(1);
    const release = await queue.acquire(ticket('n1'), never);
    const abort = new AbortController();
    const waiting = queue.acquire(ticket('n2', 'fast'), abort.signal);
    expect(queue.waiting('fast')).toBe(1);
    abort.abort(new Error('batch stopped'));
    await expect(waiting).rejects.toThrow('batch stopped');
    expect(queue.waiting('fast')).toBe(0);
    release();
    // The slot is free again: the next one gets it at once.
    await expect(queue.acquire(ticket('n3'), never)).resolves.toEqual(expect.any(Function));
  });
});
