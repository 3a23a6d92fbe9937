import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { INVALID_SAMPLE_SIZE, MAX_BATCH_RECIPIENT_BYTES, RecipientBatcher } from './recipient-batcher';

function run(batchSize: number, emails: Array<string | { email: string; name?: string }>) {
  const batcher = new RecipientBatcher(batchSize);
  const batches = [];
  for (const item of emails) {
    const full = batcher.add(typeof item === 'string' ? { email: item } : item);
    if (full) batches.push(full);
  }
  const last = batcher.flush();
  if (last) batches.push(last);
  return { batches, totals: batcher.totals };
}

describe('RecipientBatcher', () => {
  it('cuts the list into batches of batchSize, the last one partial', () => {
    const emails = Array.from({ length: 250 }, (_, i) => `r${i}@example.org`);
    const { batches, totals } = run(100, emails);
    expect(batches.map((b) => [b.index, b.recipients.length])).toEqual([[0, 100], [1, 100], [2, 50]]);
    expect(batches.flatMap((b) => b.recipients.map((r) => r.email))).toEqual(emails);
    expect(totals).toMatchObject({ total: 250, batches: 3, duplicates: 0, invalid: 0 });
  });

  it('makes no empty trailing batch when the list divides evenly', () => {
    const { batches } = run(2, ['a@x.org', 'b@x.org', 'c@x.org', 'd@x.org']);
    expect(batches).toHaveLength(2);
  });

  it('trims, lower-cases the domain and drops later duplicates of the same mailbox (local part in any case), sending the first as written', () => {
    const { batches, totals } = run(10, [' Ann@Example.org ', 'ann@EXAMPLE.ORG', 'bob@example.org', 'Ann@example.org']);
    expect(batches[0]!.recipients).toEqual([{ email: 'Ann@example.org' }, { email: 'bob@example.org' }]);
    expect(totals).toMatchObject({ total: 2, duplicates: 2 });
  });

  it('keeps names, trimmed, and drops empty ones', () => {
    const { batches } = run(10, [{ email: 'a@x.org', name: '  Ann  ' }, { email: 'b@x.org', name: '   ' }]);
    expect(batches[0]!.recipients).toEqual([{ email: 'a@x.org', name: 'Ann' }, { email: 'b@x.org' }]);
  });

  it('sets invalid addresses aside with their reason and counts them in the total', () => {
    const { batches, totals } = run(10, ['ok@x.org', 'broken', 'user@localhost', 'ok2@x.org']);
    expect(batches[0]!.recipients.map((r) => r.email)).toEqual(['ok@x.org', 'ok2@x.org']);
    expect(totals.total).toBe(4);
    expect(totals.invalid).toBe(2);
    expect(totals.invalidSample).toEqual([
      { address: 'broken', reason: 'missing "@"' },
      { address: 'user@localhost', reason: 'domain has no top-level part' },
    ]);
  });

  it('lists a bounded sample of invalid addresses but counts them all', () => {
    const { totals } = run(10, Array.from({ length: INVALID_SAMPLE_SIZE + 50 }, (_, i) => `bad${i}`));
    expect(totals.invalid).toBe(INVALID_SAMPLE_SIZE + 50);
    expect(totals.invalidSample).toHaveLength(INVALID_SAMPLE_SIZE);
    expect(totals.batches).toBe(0);
  });

  it('counts suppressed addresses (in the total) without batching them', () => {
    const batcher = new RecipientBatcher(10, (email) => email === 'gone@x.org');
    for (const email of ['a@x.org', 'gone@X.org', 'b@x.org']) batcher.add({ email });
    expect(batcher.flush()!.recipients.map((r) => r.email)).toEqual(['a@x.org', 'b@x.org']);
    expect(batcher.totals).toMatchObject({ total: 3, suppressed: 1 });
  });

  it('reports every invalid address to the caller, beyond the sample', () => {
    const seen: string[] = [];
    const batcher = new RecipientBatcher(10);
    for (let i = 0; i < INVALID_SAMPLE_SIZE + 5; i += 1) batcher.add({ email: `bad${i}` }, (x) => seen.push(x.address));
    expect(seen).toHaveLength(INVALID_SAMPLE_SIZE + 5);
  });

  it('passes merge fields (vars) on with each recipient, and leaves empty ones out', () => {
    const batcher = new RecipientBatcher(10);
    batcher.add({ email: 'a@x.org', name: 'Ann', vars: { city: 'Oslo', plan: 'pro' } });
    batcher.add({ email: 'b@x.org', vars: {} });
    expect(batcher.flush()!.recipients).toEqual([{ email: 'a@x.org', name: 'Ann', vars: { city: 'Oslo', plan: 'pro' } }, { email: 'b@x.org' }]);
  });

  it('counts a recipient whose vars break the contract as invalid, with the reason', () => {
    const batcher = new RecipientBatcher(10);
    batcher.add({ email: 'a@x.org', vars: { city: 7 } as unknown as Record<string, string> });
    expect(batcher.flush()).toBeUndefined();
    expect(batcher.totals).toMatchObject({ invalid: 1, invalidSample: [{ address: 'a@x.org', reason: 'invalid vars: city must be a string' }] });
  });

  it('closes a batch early when its recipients would pass the size limit (large vars)', () => {
    const bio = 'x'.repeat(900);
    const vars = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, bio]));
    const emails = Array.from({ length: 400 }, (_, i) => `r${i}@example.org`);
    const batches = [];
    const batcher = new RecipientBatcher(1000);
    for (const email of emails) {
      const full = batcher.add({ email, vars });
      if (full) batches.push(full);
    }
    batches.push(batcher.flush()!);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      expect(Buffer.byteLength(JSON.stringify(batch.recipients))).toBeLessThanOrEqual(MAX_BATCH_RECIPIENT_BYTES + 2);
    }
    expect(batches.map((b) => b.index)).toEqual(batches.map((_, i) => i));
    expect(batches.flatMap((b) => b.recipients.map((r) => r.email))).toEqual(emails);
  });

  it('de-duplicates a million addresses in bounded memory', async () => {
    // What the batcher keeps, after a full collection: heap and array buffers (the hashed set's
    // tables live there). Without the collection the figure is mostly garbage and says little.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // Array buffers are released after the collection, off the main thread: collect, let a few
    // turns of the event loop pass, collect again.
    const retained = async () => {
      for (let i = 0; i < 3; i += 1) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return heapUsed + arrayBuffers;
    };
    const before = await retained();
    const batcher = new RecipientBatcher(1000);
    let batches = 0;
    for (let i = 0; i < 1_000_000; i += 1) if (batcher.add({ email: `reader${i}@example.org` })) batches += 1;
    for (let i = 0; i < 1000; i += 1) batcher.add({ email: `reader${i}@example.org` });
    expect(batches).toBe(1000);
    expect(batcher.totals).toMatchObject({ total: 1_000_000, duplicates: 1000 });
    // A Set of the strings would hold about 145 MB; the hashed set 10 to 15 MB.
    expect((await retained()) - before).toBeLessThan(32 * 1024 * 1024);
    // A million hashes take ~2 s alone and over 5 s (jest's default) on a loaded machine: the
    // assertion is about memory, not time.
  }, 60_000);

  it('refuses a batch size below 1', () => {
    expect(() => new RecipientBatcher(0)).toThrow(RangeError);
  });
});
