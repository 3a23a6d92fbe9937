import { ValidationFailedError } from '../http/api-errors';
import { decodeListIndexCursor, decodeSubscriberCursor, encodeCursor, pageAfter } from './list-cursor';

const list = (id: string, createdAt: string) => ({ id, createdAt });

describe('list cursors', () => {
  const lists = [list('b', '2026-01-02'), list('c', '2026-01-01'), list('a', '2026-01-02'), list('d', '2026-01-03')];

  it('pages lists oldest first, ties by id, without repeating or skipping', () => {
    const first = pageAfter(lists, undefined, 2);
    expect(first.items.map((l) => l.id)).toEqual(['c', 'a']);
    const second = pageAfter(lists, decodeListIndexCursor(first.next!), 2);
    expect(second.items.map((l) => l.id)).toEqual(['b', 'd']);
    expect(second.next).toBeNull();
  });

  it('starts after the cursor even when the list it names is gone, and sees lists created since', () => {
    const cursor = decodeListIndexCursor(pageAfter(lists, undefined, 2).next!);
    const changed = [...lists.filter((l) => l.id !== 'a'), list('e', '2026-01-04')];
    expect(pageAfter(changed, cursor, 10).items.map((l) => l.id)).toEqual(['b', 'd', 'e']);
  });

  it('round-trips subscriber cursors and refuses anything else as a 400 naming cursor', () => {
    expect(decodeSubscriberCursor(encodeCursor({ importId: 'i1', offset: 7 }))).toEqual({ importId: 'i1', offset: 7 });
    for (const bad of ['', 'not-base64!', encodeCursor({ createdAt: 'x', id: 'y' }), Buffer.from('[1]').toString('base64url')]) {
      expect(() => decodeSubscriberCursor(bad)).toThrow(ValidationFailedError);
    }
    expect(() => decodeListIndexCursor(encodeCursor({ importId: 'i1', offset: 1 }))).toThrow(/cursor must be/);
  });
});
