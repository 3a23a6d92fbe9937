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
