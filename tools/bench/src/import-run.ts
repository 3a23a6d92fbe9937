import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, TEST_API_KEY } from '@mailroom/testing';
import { uploadFile } from './import-upload';
import { UsageRecorder, peakRssBytes, rssBytes } from './process-stats';

export interface ImportRunResult {
  readonly rows: number;
  readonly accepted: number;
  readonly importMs: number;
  readonly rowsPerSecond: number;
  /** The gateway's RSS once ready, and its peak (VmHWM) by the end of the import. */
  readonly gatewayBootRssBytes: number;
  readonly gatewayPeakRssBytes: number;
  readonly gatewayCpuSeconds: number;
  /** With `split`: how long the splitter took, and its peak RSS (VmHWM). */
  readonly splitMs?: number;
  readonly splitterPeakRssBytes?: number;
}

/**
 * One import of `csv` into a new list of a fresh stack (new processes, new namespace): the
 * upload's wall time, rows/s, the gateway's peak RSS and CPU. With `split`, then a newsletter
 * to the list, timed until every batch is published (no senders run), and the splitter's peak RSS.
 */
export async function runImport(
  csv: { path: string; rows: number },
  options: { readonly split: boolean; readonly splitterNodeOptions?: string },
): Promise<ImportRunResult> {
  const stack = await MailroomStack.start({
    smtpUrl: 'smtp://127.0.0.1:9',
    noSenders: true,
    env: { LOG_LEVEL: 'warn' },
    serviceEnv: { gateway: { RATE_LIMIT_PER_MINUTE: '0', MAX_IMPORT_BYTES: String(8 * 1024 ** 3) }, splitter: options.splitterNodeOptions ? { NODE_OPTIONS: options.splitterNodeOptions } : {} },
  });
  try {
    const gatewayBootRssBytes = rssBytes(stack.gateway.pid);
    const created = await stack.request<{ id: string }>('POST', '/v1/lists', { body: { name: 'Benchmark readers' } });
    if (created.status !== 201) throw new Error(`POST /v1/lists answered ${created.status}: ${JSON.stringify(created.body)}`);
    const usage = new UsageRecorder([{ label: 'gateway', pid: stack.gateway.pid }]);
    const started = Date.now();
    const imported = await uploadFile<{ accepted: number; rejected: number }>(
      `${stack.gateway.baseUrl}/v1/lists/${created.body.id}/subscribers`,
      csv.path,
      'text/csv',
      TEST_API_KEY,
    );
    const importMs = Date.now() - started;
    const [gatewayUsage] = usage.stop();
    if (imported.status !== 200 || imported.body.accepted !== csv.rows) {
      throw new Error(`The import answered ${imported.status}: ${JSON.stringify(imported.body).slice(0, 500)}`);
    }
    const result: ImportRunResult = {
      rows: csv.rows,
      accepted: imported.body.accepted,
      importMs,
      rowsPerSecond: (csv.rows * 1000) / importMs,
      gatewayBootRssBytes,
      gatewayPeakRssBytes: peakRssBytes(stack.gateway.pid),
      gatewayCpuSeconds: gatewayUsage?.cpuSeconds ?? 0,
    };
    if (!options.split) return result;

    const splitStarted = Date.now();
    const sent = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Benchmark', text: 'Hello', listId: created.body.id, batchSize: 100 },
    });
    if (sent.status !== 202) throw new Error(`POST /v1/newsletters answered ${sent.status}: ${JSON.stringify(sent.body)}`);
    await stack.waitForNewsletter<NewsletterView>(sent.body.id, (v) => v.batches.total !== null, 10 * 60_000);
    return { ...result, splitMs: Date.now() - splitStarted, splitterPeakRssBytes: peakRssBytes(stack.splitter.pid) };
  } finally {
    await stack.stop();
  }
}
