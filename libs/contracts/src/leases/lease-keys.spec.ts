import { batchLeaseKey, leaderLeaseKey } from './lease-keys';

describe('lease keys', () => {
  const id = '0b7d5c8e-3f0a-4d8e-9a51-0f2b6d1c9e77';

  it.each([
    [undefined, 3, `${id}.first.3`],
    ['r2', 0, `${id}.r2.0`],
    ['redrive-17', 12, `${id}.redrive-17.12`],
  ])('names the lease of batch (round %s, index %s) %s', (round, index, key) => {
    expect(batchLeaseKey(id, round, index)).toBe(key);
  });

  it('never gives a leadership key the shape of a batch lease key', () => {
    const key = leaderLeaseKey('tracker');
    expect(key).toBe('leader.tracker');
    // A batch lease key starts with a newsletter id (a UUID): "leader" is none.
    expect(key.split('.')[0]).not.toMatch(/^[0-9a-f]{8}-/);
  });

  it('refuses a role that would add key tokens', () => {
    expect(() => leaderLeaseKey('tracker.x')).toThrow('Leader role');
    expect(() => leaderLeaseKey('')).toThrow('Leader role');
  });
});
