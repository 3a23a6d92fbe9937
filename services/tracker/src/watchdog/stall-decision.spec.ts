import { BatchBitset, newNewsletterRecord, type NewsletterRecord } from '@mailroom/contracts';
import { judgeHandedOut, lostIndexes, stallOf, type HandedOutBatch, type LeaseFacts, type StallContext } from './stall-decision';

const id = '0b7d5c8e-3f0a-4d8e-9a51-0f2b6d1c9e77';
const now = Date.parse('2026-11-28T10:10:00.000Z');
const stallMs = 300_000;
const ago = (ms: number) => new Date(now - ms).toISOString();

const bits = (...indexes: number[]) => {
  const set = BatchBitset.decode('');
  for (const i of indexes) set.add(i);
  return set.encode();
};

/** A record sending 4 batches, 0 and 2 counted, last changed `idleMs` ago. */
const sending = (idleMs: number, overrides: Partial<NewsletterRecord> = {}): NewsletterRecord => ({
  ...newNewsletterRecord(id, 40, new Date(now - 3_600_000)),
  status: 'sending',
  total: 40,
  batches: { total: 4, completed: 2 },
  countedBatches: bits(0, 2),
  startedAt: ago(3_600_000),
  updatedAt: ago(idleMs),
  ...overrides,
});

const context = (control: StallContext['control'] = 'active'): StallContext => ({ now, stallMs, control });

describe('stall decision', () => {
  it.each<[string, NewsletterRecord, StallContext, string]>([
    ['moving (changed within the stall time)', sending(stallMs - 1), context(), 'moving'],
    ['paused by its control', sending(stallMs * 2), context('paused'), 'paused or cancelled'],
    ['cancelled by its control (record not final yet)', sending(stallMs * 2), context('cancelled'), 'paused or cancelled'],
    ['status paused', sending(stallMs * 2, { status: 'paused' }), context(), 'not sending'],
    ['scheduled', sending(stallMs * 2, { status: 'scheduled' }), context(), 'not sending'],
    ['queued (not split yet)', sending(stallMs * 2, { status: 'queued' }), context(), 'not sending'],
    ['splitting', sending(stallMs * 2, { status: 'splitting' }), context(), 'not sending'],
    ['completed', sending(stallMs * 2, { status: 'completed' }), context(), 'not sending'],
    ['cancelled', sending(stallMs * 2, { status: 'cancelled' }), context(), 'not sending'],
    [
      'every batch and round counted',
      sending(stallMs * 2, { batches: { total: 2, completed: 2 }, countedBatches: bits(0, 1) }),
      context(),
      'nothing outstanding',
    ],
  ])('is not stalled when %s', (_, record, ctx, why) => {
    expect(stallOf(record, ctx)).toEqual({ stalled: false, why });
  });

  it('is stalled at exactly the stall time, waiting for the first-pass batches not counted', () => {
    expect(stallOf(sending(stallMs), context())).toEqual({
      stalled: true,
      idleMs: stallMs,
      outstanding: { firstPass: [1, 3], rounds: [], splitUnknown: false },
    });
  });

  it('waits for an open round (first pass done), with or without its size known', () => {
    const record = sending(stallMs * 2, {
      batches: { total: 4, completed: 4 },
      countedBatches: bits(0, 1, 2, 3),
      rounds: {
        r1: { batches: 3, completed: 1, counted: bits(2), requestedAt: ago(stallMs * 3) },
        r2: { batches: null, completed: 0, counted: '', requestedAt: ago(stallMs * 3) },
        r0: { batches: 1, completed: 1, counted: bits(1), requestedAt: ago(stallMs * 3) },
      },
    });
    const decision = stallOf(record, context());
    if (!decision.stalled) throw new Error('expected a stall');
    expect(decision.outstanding.firstPass).toEqual([]);
    expect(decision.outstanding.rounds.map((r) => [r.round, r.batches, r.counted.has(2)])).toEqual([
      ['r1', 3, true],
      ['r2', null, false],
    ]);
  });

  it('is stalled when results came but the split never did (nothing it can re-drive)', () => {
    const decision = stallOf(sending(stallMs * 2, { total: null, batches: { total: null, completed: 1 }, countedBatches: bits(0) }), context());
    expect(decision).toMatchObject({ stalled: true, outstanding: { firstPass: [], rounds: [], splitUnknown: true } });
  });
});

describe('a batch message the consumer has handed out', () => {
  const lease = (live: boolean, touchedAgo: number | null): LeaseFacts => ({ live, touchedAt: touchedAgo === null ? null : now - touchedAgo });
  const copy = (counted: boolean, storedAgo: number, facts: LeaseFacts): HandedOutBatch => ({ counted, storedAt: now - storedAgo, lease: facts });

  it.each<[string, HandedOutBatch, ReturnType<typeof judgeHandedOut>]>([
    ['held by a sender right now', copy(false, stallMs * 10, lease(true, 1_000)), 'in-flight'],
    ['held by a sender, though counted', copy(true, stallMs * 10, lease(true, 1_000)), 'in-flight'],
    ['stored within the stall time (a fresh re-drive)', copy(false, stallMs - 1, lease(false, null)), 'recent'],
    ['released within the stall time (waiting for a redelivery)', copy(false, stallMs * 10, lease(false, stallMs - 1)), 'recent'],
    ['never leased, old: the consumer passed it', copy(false, stallMs, lease(false, null)), 'stranded'],
    ['released long ago, never redelivered', copy(false, stallMs * 10, lease(false, stallMs)), 'stranded'],
    ['a lease that expired long ago (its sender died)', copy(false, stallMs * 10, lease(false, stallMs * 2)), 'stranded'],
    ['counted already, untouched', copy(true, stallMs * 10, lease(false, stallMs * 2)), 'done'],
  ])('is %s', (_, batch, verdict) => {
    expect(judgeHandedOut(batch, { now, stallMs })).toBe(verdict);
  });
});

describe('lost first-pass batches', () => {
  const facts = (entries: Array<[number, LeaseFacts]>) => new Map(entries);

  it.each<[string, number[], number[], Array<[number, LeaseFacts]>, number[]]>([
    ['none in the stream, never leased', [1, 3], [], [], [1, 3]],
    ['one still has a copy in the stream', [1, 3], [3], [], [1]],
    ['one is held by a sender', [1, 3], [], [[1, { live: true, touchedAt: now - 1_000 }]], [3]],
    ['one was released within the stall time', [1, 3], [], [[3, { live: false, touchedAt: now - 1_000 }]], [1]],
    ['one was released long ago', [1, 3], [], [[3, { live: false, touchedAt: now - stallMs }]], [1, 3]],
  ])('%s', (_, outstanding, inStream, leases, lost) => {
    expect(lostIndexes(outstanding, new Set(inStream), facts(leases), { now, stallMs })).toEqual(lost);
  });
});
