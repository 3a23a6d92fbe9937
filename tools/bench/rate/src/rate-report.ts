import type { RateMeasurement } from './rate-measure';

const pct = (observed: number, configured: number) => `${observed >= configured ? '+' : ''}${(((observed - configured) / configured) * 100).toFixed(2)} %`;

/** The markdown of bench/RATE-RESULTS.md. */
export function renderRateReport(results: readonly RateMeasurement[], context: { readonly command: string; readonly date: Date; readonly warmupMs: number }): string {
  const rows = results.map(
    (r) =>
      `| ${r.senders} | ${r.configuredPerSecond} | ${r.observedPerSecond.toFixed(2)} | ${pct(r.observedPerSecond, r.configuredPerSecond)} | ` +
      `${r.fromFirstPerSecond.toFixed(2)} | ${r.peakInOneSecond} / ${r.configuredPerSecond + r.burst} | ${r.measuredEmails} | ` +
      `${r.leasedTokens ?? '–'} / ${r.expiredTokens ?? '–'} |`,
  );
  return [
    '# Shared rate limit: configured vs observed',
    '',
    `\`${context.command}\`, ${context.date.toISOString()}. One provider (a local smtp-server sink in the benchmark`,
    'process) limited by `SMTP_RATE_PER_SECOND` (burst: `SMTP_BURST`, default max(3, rate / 5)); the sender processes of',
    'each row share it through the KV-leased token bucket; gateway, splitter and tracker run too (the whole pipeline,',
    'one newsletter big enough to outlast the run, batches of 100). Each row is a fresh stack and namespace.',
    `Arrival times are taken at the sink (end of DATA). "Observed" counts arrivals over the measured duration, starting`,
    `${context.warmupMs / 1000} s after the first arrival so the initial burst is left out; "from first arrival" includes it.`,
    '',
    '| senders | configured /s | observed /s | deviation | from first arrival /s | max in any 1 s / bound (rate + burst) | emails measured | tokens leased / expired unspent |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
