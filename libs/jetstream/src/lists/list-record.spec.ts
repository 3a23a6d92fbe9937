import { claimImport, commitImport, newListRecord, partsOf, releaseImport, touchImport, type ListImportEntry } from './list-record';

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
