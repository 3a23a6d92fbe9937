/** The most arrivals inside any window of `windowMs` (sliding: every arrival starts a window). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** Arrivals per second between the first and the last one. */
export function observedRate(times: readonly number[]): number {
  if (times.length < 2) return 0;
  const sorted = [...times].sort((a, b) => a - b);
  return ((sorted.length - 1) * 1000) / (sorted[sorted.length - 1]! - sorted[0]!);
}

/** One metric's value from a Prometheus text exposition, by name and exact label set (`a="x",b="y"`). */
export function metricValue(exposition: string, name: string, labels = ''): number | undefined {
  const prefix = labels ? `${name}{${labels}} ` : `${name} `;
  const line = exposition.split('\n').find((l) => l.startsWith(prefix));
  if (!line) return undefined;
  const value = line.slice(prefix.length).trim();
  return value === '+Inf' ? Number.POSITIVE_INFINITY : Number(value);
}

export async function scrape(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`GET ${baseUrl}/metrics answered ${res.status}`);
  return res.text();
}
