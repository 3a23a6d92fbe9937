import {
  claimImport,
  commitImport,
  commitRewrite,
  markDeleted,
  MAX_LIST_SENDS,
  newListRecord,
  partsOf,
  registerSend,
  releaseImport,
  renameList,
  rewrittenPartObject,
  sendsOf,
  touchImport,
  type ListImportEntry,
  type ListRecord,
} from './list-record';

const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const entry = (id: string, accepted: number, object: string | null = `lists/l1/${id}.ndjson`): ListImportEntry => ({
  id,
  object,
  format: 'csv',
  accepted,
  rejected: 1,
  duplicates: 2,
  bytes: 100,
  importedAt: t0.toISOString(),
});

describe('list record', () => {
  it('lets one import run at a time, and another take over once it is stale', () => {
    const list = newListRecord('l1', 'Readers', t0);
    const running = claimImport(list, 'i1', t0, 60_000)!;
    expect(running.importing).toEqual({ id: 'i1', heartbeatAt: t0.toISOString() });
    expect(claimImport(running, 'i2', at(59_000), 60_000)).toBeNull();
    const beating = touchImport(running, 'i1', at(50_000))!;
    expect(claimImport(beating, 'i2', at(100_000), 60_000)).toBeNull();
    expect(claimImport(beating, 'i2', at(111_000), 60_000)?.importing?.id).toBe('i2');
  });

  it('appends finished imports in order; the parts are those that accepted someone', () => {
    let list = newListRecord('l1', 'Readers', t0);
    list = commitImport(claimImport(list, 'i1', t0, 60_000)!, entry('i1', 10), t0)!;
    list = commitImport(claimImport(list, 'i2', t0, 60_000)!, entry('i2', 0, null), t0)!;
    list = commitImport(claimImport(list, 'i3', t0, 60_000)!, entry('i3', 5), t0)!;
    expect(list.subscribers).toBe(15);
    expect(list.importing).toBeNull();
    expect(list.imports.map((i) => i.id)).toEqual(['i1', 'i2', 'i3']);
    expect(partsOf(list)).toEqual(['lists/l1/i1.ndjson', 'lists/l1/i3.ndjson']);
  });

  it('refuses to commit or touch an import that no longer holds the list', () => {
    const taken = claimImport(newListRecord('l1', 'Readers', t0), 'i2', t0, 60_000)!;
    expect(commitImport(taken, entry('i1', 3), t0)).toBeNull();
    expect(touchImport(taken, 'i1', t0)).toBeNull();
    expect(releaseImport(taken, 'i1', t0)).toBeNull();
    expect(releaseImport(taken, 'i2', t0)?.importing).toBeNull();
  });
});

describe('list record: lifecycle (sends, delete, rewrites)', () => {
  const held = (id: string) => claimImport(newListRecord('l1', 'Readers', t0), id, t0, 60_000)!;

  it('reads a record from before sends and deletes as having neither', () => {
    const old = { v: 1, id: 'l1', name: 'Old', subscribers: 2, imports: [], importing: null, createdAt: t0.toISOString(), updatedAt: t0.toISOString() } as ListRecord;
    expect(sendsOf(old)).toEqual([]);
    expect(markDeleted(old, new Set(), t0, 60_000)).toMatchObject({ deletedAt: t0.toISOString() });
  });

  it('registers each newsletter once, keeps the newest, and none on a deleted list', () => {
    let list = newListRecord('l1', 'Readers', t0);
    list = registerSend(list, 'n1', t0)!;
    expect(registerSend(list, 'n1', t0)).toBeNull();
    for (let i = 2; i <= MAX_LIST_SENDS + 5; i += 1) list = registerSend(list, `n${i}`, t0)!;
    expect(sendsOf(list)).toHaveLength(MAX_LIST_SENDS);
    expect(sendsOf(list)[0]?.newsletterId).toBe('n6');
    const deleted = markDeleted(list, new Set(sendsOf(list).map((s) => s.newsletterId)), t0, 60_000) as ListRecord;
    expect(registerSend(deleted, 'late', t0)).toBeNull();
    expect(renameList(deleted, 'New', t0)).toBeNull();
    expect(claimImport(deleted, 'i9', t0, 60_000)).toBeNull();
  });

  it('refuses a delete while an import runs (until it is stale) or after a newsletter it did not check', () => {
    const sent = registerSend(newListRecord('l1', 'Readers', t0), 'n1', t0)!;
    expect(markDeleted(sent, new Set(), t0, 60_000)).toBe('sent-meanwhile');
    expect(markDeleted(sent, new Set(['n1']), t0, 60_000)).toMatchObject({ deletedAt: t0.toISOString(), importing: null });
    expect(markDeleted(held('i1'), new Set(), at(59_000), 60_000)).toBe('importing');
    expect(markDeleted(held('i1'), new Set(), at(61_000), 60_000)).toMatchObject({ deletedAt: at(61_000).toISOString() });
  });

  it('swaps a rewritten part in for the change holding the list, and only then', () => {
    let list = commitImport(held('i1'), entry('i1', 10), t0)!;
    list = claimImport(list, 'c1', t0, 60_000)!;
    const rewrite = { changeId: 'c1', importId: 'i1', object: 'lists/l1/i1.c1.ndjson', removed: 1 };
    expect(commitRewrite(list, { ...rewrite, changeId: 'c2' }, new Set(), t0)).toBe('not-held');
    expect(commitRewrite(registerSend(list, 'n1', t0)!, rewrite, new Set(), t0)).toBe('sent-meanwhile');
    const done = commitRewrite(list, rewrite, new Set(), t0) as ListRecord;
    expect(done).toMatchObject({ subscribers: 9, importing: null });
    expect(partsOf(done)).toEqual(['lists/l1/i1.c1.ndjson']);
    expect(done.imports[0]).toMatchObject({ accepted: 10, object: 'lists/l1/i1.c1.ndjson' });
    const emptied = commitRewrite(claimImport(done, 'c2', t0, 60_000)!, { changeId: 'c2', importId: 'i1', object: null, removed: 1 }, new Set(), t0) as ListRecord;
    expect(partsOf(emptied)).toEqual([]);
    expect(rewrittenPartObject('l1', 'i1', 'c1')).toBe('lists/l1/i1.c1.ndjson');
  });
});
