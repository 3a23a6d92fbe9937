import { addSample, currentRate, RATE_WINDOW_MS, type ProgressSample } from './progress';

const T0 = 1_800_000_000_000;

function sendAt(ratePerSecond: number, seconds: number, every = 1): ProgressSample[] {
  let samples: ProgressSample[] = [[T0, 0]];
  for (let s = every; s <= seconds; s += every) samples = addSample(samples, T0 + s * 1000, ratePerSecond * s);
  return samples;
}

describe('progress samples and current rate', () => {
  it('measures a steady rate', () => {
    const samples = sendAt(100, 30);
    expect(currentRate(samples, T0 + 30_000)).toBeCloseTo(100, 5);
  });

  it('measures over the last minute only, not since the start', () => {
    // 50/s for two minutes, then 200/s for a minute.
    let samples = sendAt(50, 120);
    for (let s = 121; s <= 180; s += 1) samples = addSample(samples, T0 + s * 1000, 6_000 + 200 * (s - 120));
    expect(currentRate(samples, T0 + 180_000)).toBeCloseTo(200, 0);
  });

  it('falls to zero after a minute without progress, and decays before that', () => {
    const samples = sendAt(100, 30);
    expect(currentRate(samples, T0 + 30_000 + RATE_WINDOW_MS + 1)).toBe(0);
    expect(currentRate(samples, T0 + 60_000)).toBeCloseTo(50, 5);
  });

  it('stays small however long the newsletter runs', () => {
    const samples = sendAt(10, 3_600);
    expect(samples.length).toBeLessThanOrEqual(14);
  });

  it('is zero without samples', () => {
    expect(currentRate([], T0)).toBe(0);
  });
});
