import type { Recipient } from '@mailroom/contracts';
import { assignToLostBatches } from './rebuilt-batches';

const people = (prefix: string, n: number): Recipient[] => Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@example.org` }));
const emails = (batches: Map<number, Recipient[]> | null) =>
  batches && Object.fromEntries([...batches].map(([index, recipients]) => [index, recipients.map((r) => r.email)]));

describe('rebuilding lost batches', () => {
  it('spreads the unaccounted recipients over the lost indexes in list order, each once', () => {
    const batches = assignToLostBatches([7, 2], new Map(), people('x', 5));
    expect(emails(batches)).toEqual({
      2: ['x0@example.org', 'x1@example.org', 'x2@example.org'],
      7: ['x3@example.org', 'x4@example.org'],
    });
  });

  it('keeps in each lost batch whoever the ledger files under it, before its share', () => {
    const own = new Map([[4, people('own', 2)]]);
    expect(emails(assignToLostBatches([4, 5], own, people('x', 2)))).toEqual({
      4: ['own0@example.org', 'own1@example.org', 'x0@example.org'],
      5: ['x1@example.org'],
    });
  });

  it('leaves a lost batch empty when nobody is left for it (the caller counts it as done)', () => {
    expect(emails(assignToLostBatches([0, 1], new Map(), people('x', 1)))).toEqual({ 0: ['x0@example.org'], 1: [] });
  });

  it('refuses what a batch message could not carry', () => {
    expect(assignToLostBatches([0], new Map(), people('x', 1_001))).toBeNull();
    const heavy = people('x', 2).map((r) => ({ ...r, vars: { note: 'n'.repeat(500_000) } }));
    expect(assignToLostBatches([0], new Map(), heavy)).toBeNull();
    expect(assignToLostBatches([], new Map(), people('x', 1))).toBeNull();
  });
});
