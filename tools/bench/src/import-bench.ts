import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '@mailroom/testing';
import { subscriberCsv } from './import-csv';
import { renderImportReport } from './import-report';
import { runImport, type ImportRunResult } from './import-run';

export interface ImportBenchOptions {
  readonly rows: number;
  readonly runs: number;
  readonly split: boolean;
  /** NODE_OPTIONS of the splitter (e.g. `--max-old-space-size=64`, to see its live memory). */
  readonly splitterNodeOptions?: string;
  /** Also write the report here (relative to the repository). */
  readonly out?: string;
  readonly command: string;
}

/**
 * `npm run bench -- import`: the gateway importing a large subscriber CSV (default 1,000,000
 * rows), each run with fresh processes; rows/s and the gateway's peak RSS, median of the runs.
 * `--split` also sends a newsletter to the list and measures the splitter
 * (`--splitter-node-options` passes NODE_OPTIONS to it).
 */
export async function runImportBench(options: ImportBenchOptions): Promise<void> {
  const csv = await subscriberCsv(join(repoRoot(), 'tmp', 'bench', `subscribers-${options.rows}.csv`), options.rows);
  const runs: ImportRunResult[] = [];
  for (let i = 0; i < options.runs; i += 1) {
    const result = await runImport({ path: csv.path, rows: options.rows }, { split: options.split, splitterNodeOptions: options.splitterNodeOptions });
    process.stdout.write(
      `[bench] import ${i + 1}: ${Math.round(result.rowsPerSecond)} rows/s, gateway peak RSS ${Math.round(result.gatewayPeakRssBytes / 1024 / 1024)} MB` +
        (result.splitMs !== undefined ? `; split ${result.splitMs} ms, splitter peak RSS ${Math.round((result.splitterPeakRssBytes ?? 0) / 1024 / 1024)} MB` : '') +
        '\n',
    );
    runs.push(result);
  }
  const report = renderImportReport(runs, { command: options.command, bytes: csv.bytes, date: new Date() });
  process.stdout.write(`\n${report}`);
  if (options.out) {
    const out = resolve(repoRoot(), options.out);
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(out, report);
    process.stdout.write(`Written to ${options.out}\n`);
  }
}
