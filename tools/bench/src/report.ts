import { cpus, totalmem } from 'node:os';
import type { BaselineResult } from './baseline-run';
import { BENCH_LINKS } from './newsletter-body';
import { INLINE_LIMIT, type RunResult } from './pipeline-run';

export interface Scenario {
  readonly recipients: number;
  readonly senders: number;
  /** The splitter's BATCH_WINDOW (0: none, every batch queued at once). */
  readonly batchWindow: number;
  /** Open and click tracking on (every link rewritten, a pixel added) or off. */
  readonly tracking: boolean;
  /** MB of unrelated streams in the NATS server during the row (0: none besides the bench's own). */
  readonly natsNoiseMb: number;
  readonly runs: readonly RunResult[];
  /** Pooled nodemailer, 10 connections: the baseline the ratio is against. */
  readonly baseline: readonly BaselineResult[];
  /** Mailroom's mailer library sending directly: the pipeline's ceiling. */
  readonly direct: readonly BaselineResult[];
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)}`;
const round = (n: number) => Math.round(n).toLocaleString('en-US');

/** The results as Markdown: one row per scenario, medians of the runs, the baseline measured in the same run beside them. */
export function renderReport(scenarios: readonly Scenario[], meta: { sink: string; command: string; date: Date }): string {
  const lines = [
    '# Benchmark results',
    '',
    `Measured ${meta.date.toISOString()} with \`${meta.command}\` on ${cpus().length} cores, ` +
      `${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}; sink: ${meta.sink}; ` +
      `4 KB HTML body with ${BENCH_LINKS} links personalised per recipient, batches of 100, rate limits off, ledger on. Every figure is the median of the runs shown.`,
    '',
    'Baseline: one process, pooled nodemailer transport (10 connections), `sendMail` per recipient. ' +
      'Direct: one process, Mailroom\'s mailer library (the MIME writer and pool the sender uses), 10 connections. ' +
      'Both send the same personalised messages to the same sink, in the same run.',
    '',
    '| recipients | senders | batch window | tracking | other NATS data (MB) | runs | accept (ms) | first email (ms) | pipeline emails/s | baseline emails/s | ratio | direct emails/s | pipeline/direct | completed (s) |',
    '| ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of scenarios) {
    const rate = median(s.runs.map((r) => r.emailsPerSecond));
    const base = median(s.baseline.map((b) => b.emailsPerSecond));
    const direct = median(s.direct.map((b) => b.emailsPerSecond));
    lines.push(
      `| ${round(s.recipients)} | ${s.senders} | ${s.batchWindow === 0 ? 'none' : s.batchWindow} | ${s.tracking ? 'on' : 'off'} | ${round(s.natsNoiseMb)} | ${s.runs.length} | ${round(median(s.runs.map((r) => r.acceptMs)))} | ` +
        `${round(median(s.runs.map((r) => r.firstEmailMs)))} | ${round(rate)} | ${round(base)} | ` +
        `${(rate / base).toFixed(2)}× | ${round(direct)} | ${(rate / direct).toFixed(2)}× | ` +
        `${(median(s.runs.map((r) => r.completedMs)) / 1000).toFixed(1)} |`,
    );
  }
  for (const s of scenarios) {
    const imports = s.runs.flatMap((r) => (r.importMs !== undefined ? [r.importMs] : []));
    if (imports.length === 0) continue;
    lines.push(
      '',
      `${round(s.recipients)} recipients, ${s.senders} sender(s): sent to a subscriber list (inline requests stop at ${round(INLINE_LIMIT)}), ` +
        `imported from a CSV streamed from disk in ${(median(imports) / 1000).toFixed(1)} s before the request; ` +
        'accept and first email count from the request, peak RSS and CPU include the import.',
    );
  }
  lines.push(
    '',
    '## Peak RSS (MB) and CPU seconds per process (median of the runs)',
    '',
    'Services: the kernel\'s high-water mark (VmHWM) since the process started (a stack serves all runs of a row, so a ' +
      'later run reports the peak so far), and never less than RSS sampled every 200 ms. nats-server and the sink: sampled ' +
      'every 200 ms. Baselines: their own VmHWM. CPU: seconds used during the run.',
    '',
  );
  for (const s of scenarios) {
    const labels = s.runs[0]?.usage.map((u) => u.label) ?? [];
    lines.push(`### ${round(s.recipients)} recipients, ${s.senders} sender(s), batch window ${s.batchWindow === 0 ? 'none' : s.batchWindow}, tracking ${s.tracking ? 'on' : 'off'}, other NATS data ${round(s.natsNoiseMb)} MB`, '', '| process | peak RSS (MB) | CPU (s) |', '| --- | ---: | ---: |');
    for (const label of labels) {
      const usages = s.runs.map((r) => r.usage.find((u) => u.label === label)!);
      lines.push(`| ${label} | ${mb(median(usages.map((u) => u.peakRssBytes)))} | ${median(usages.map((u) => u.cpuSeconds)).toFixed(1)} |`);
    }
    for (const [label, results] of [['baseline (pooled nodemailer)', s.baseline], ['direct (Mailroom mailer)', s.direct]] as const) {
      const usage = results.map((b) => b.usage);
      lines.push(`| ${label} | ${mb(median(usage.map((u) => u.peakRssBytes)))} | ${median(usage.map((u) => u.cpuSeconds)).toFixed(1)} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
