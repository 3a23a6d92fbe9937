import { cpus, totalmem } from 'node:os';
import type { ImportRunResult } from './import-run';
import { median } from './report';

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)}`;
const round = (n: number) => Math.round(n).toLocaleString('en-US');

/** The import runs as Markdown: each run, then the medians. */
export function renderImportReport(runs: readonly ImportRunResult[], meta: { command: string; bytes: number; date: Date }): string {
  const split = runs.some((r) => r.splitMs !== undefined);
  const lines = [
    '# Subscriber import benchmark',
    '',
    `Measured ${meta.date.toISOString()} with \`${meta.command}\` on ${cpus().length} cores, ` +
      `${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}: a ${round(runs[0]?.rows ?? 0)}-row CSV ` +
      `(${mb(meta.bytes)} MB, email,name,city) streamed from disk over HTTP into a new list of a freshly started gateway. ` +
      'Peak RSS is the kernel\'s high-water mark (VmHWM) of the process.',
    '',
    `| run | rows/s | import (s) | gateway RSS at boot (MB) | gateway peak RSS (MB) | gateway CPU (s) |${split ? ' split (s) | splitter peak RSS (MB) |' : ''}`,
    `| ---: | ---: | ---: | ---: | ---: | ---: |${split ? ' ---: | ---: |' : ''}`,
  ];
  const row = (label: string, r: { rps: number; ms: number; boot: number; peak: number; cpu: number; splitMs?: number; splitRss?: number }) =>
    lines.push(
      `| ${label} | ${round(r.rps)} | ${(r.ms / 1000).toFixed(1)} | ${mb(r.boot)} | ${mb(r.peak)} | ${r.cpu.toFixed(1)} |` +
        (split ? ` ${((r.splitMs ?? 0) / 1000).toFixed(1)} | ${mb(r.splitRss ?? 0)} |` : ''),
    );
  runs.forEach((r, i) =>
    row(String(i + 1), { rps: r.rowsPerSecond, ms: r.importMs, boot: r.gatewayBootRssBytes, peak: r.gatewayPeakRssBytes, cpu: r.gatewayCpuSeconds, splitMs: r.splitMs, splitRss: r.splitterPeakRssBytes }),
  );
  row('**median**', {
    rps: median(runs.map((r) => r.rowsPerSecond)),
    ms: median(runs.map((r) => r.importMs)),
    boot: median(runs.map((r) => r.gatewayBootRssBytes)),
    peak: median(runs.map((r) => r.gatewayPeakRssBytes)),
    cpu: median(runs.map((r) => r.gatewayCpuSeconds)),
    splitMs: split ? median(runs.map((r) => r.splitMs ?? 0)) : undefined,
    splitRss: split ? median(runs.map((r) => r.splitterPeakRssBytes ?? 0)) : undefined,
  });
  return `${lines.join('\n')}\n`;
}
