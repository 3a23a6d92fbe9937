import type { NewsletterView } from '@mailroom/contracts';
import { join } from 'node:path';
import { repoRoot, TEST_API_KEY, type MailroomStack } from '@mailroom/testing';
import type { BenchSink } from './bench-sink';
import { subscriberCsv } from './import-csv';
import { uploadFile } from './import-upload';
import { benchRecipient, newsletterHtml } from './newsletter-body';
import { UsageRecorder, type ProcessUsage } from './process-stats';

export interface RunResult {
  readonly acceptMs: number;
  readonly firstEmailMs: number;
  readonly lastEmailMs: number;
  readonly completedMs: number;
  readonly emailsPerSecond: number;
  readonly usage: readonly ProcessUsage[];
  /** Sent to a subscriber list: how long importing it took (before the request was made). */
  readonly importMs?: number;
}

/** The gateway's default MAX_INLINE_RECIPIENTS: larger audiences go through a subscriber list. */
export const INLINE_LIMIT = 100_000;

/**
 * One newsletter of `count` recipients through the running stack: time to accept the request,
 * to the first email at the sink, to the last one and to `completed`; emails/s over the whole
 * span (request to last email); peak RSS and CPU seconds of every process.
 */
export async function runPipeline(
  stack: MailroomStack,
  sink: BenchSink,
  count: number,
  extraProcesses: ReadonlyArray<{ label: string; pid: number }>,
  options: { readonly tracking?: boolean } = {},
): Promise<RunResult> {
  sink.reset();
  // Peak RSS and CPU from here: for a list, they include importing it.
  const usage = new UsageRecorder([...stack.all.map((s) => ({ label: s.label, pid: s.pid, lifetimePeak: true })), ...extraProcesses]);
  const list = count > INLINE_LIMIT ? await importList(stack, count) : undefined;
  const audience = list ? { listId: list.listId } : { recipients: Array.from({ length: count }, (_, i) => benchRecipient(i)) };
  const tracking = options.tracking ? { tracking: { opens: true, clicks: true } } : {};
  const body = JSON.stringify({ subject: 'Benchmark issue', html: newsletterHtml(), batchSize: 100, ...tracking, ...audience });
  const started = Date.now();
  const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { rawBody: body });
  const acceptMs = Date.now() - started;
  if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${JSON.stringify(res.body)}`);
  await sink.waitFor(count, 30 * 60_000);
  await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed', 10 * 60_000);
  const completedMs = Date.now() - started;
  const processes = usage.stop();
  const lastEmailMs = (sink.lastAt ?? Date.now()) - started;
  return {
    acceptMs,
    firstEmailMs: (sink.firstAt ?? Date.now()) - started,
    lastEmailMs,
    completedMs,
    emailsPerSecond: count / (lastEmailMs / 1000),
    usage: processes,
    ...(list ? { importMs: list.importMs } : {}),
  };
}

/** A new subscriber list of `count` bench recipients, imported from a CSV streamed from disk. */
async function importList(stack: MailroomStack, count: number): Promise<{ listId: string; importMs: number }> {
  const csv = await subscriberCsv(join(repoRoot(), 'tmp', 'bench', `subscribers-${count}.csv`), count);
  const created = await stack.request<{ id: string }>('POST', '/v1/lists', { body: { name: `Benchmark ${count}` } });
  if (created.status !== 201) throw new Error(`POST /v1/lists answered ${created.status}: ${JSON.stringify(created.body)}`);
  const started = Date.now();
  const imported = await uploadFile<{ accepted: number }>(`${stack.gateway.baseUrl}/v1/lists/${created.body.id}/subscribers`, csv.path, 'text/csv', TEST_API_KEY);
  if (imported.status !== 200 || imported.body.accepted !== count) {
    throw new Error(`The import answered ${imported.status}: ${JSON.stringify(imported.body).slice(0, 500)}`);
  }
  return { listId: created.body.id, importMs: Date.now() - started };
}
