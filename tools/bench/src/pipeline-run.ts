import type { NewsletterView } from '@mailroom/contracts';
import type { MailroomStack } from '@mailroom/testing';
import type { BenchSink } from './bench-sink';
import { benchRecipient, newsletterHtml } from './newsletter-body';
import { UsageRecorder, type ProcessUsage } from './process-stats';

export interface RunResult {
  readonly acceptMs: number;
  readonly firstEmailMs: number;
  readonly lastEmailMs: number;
  readonly completedMs: number;
  readonly emailsPerSecond: number;
  readonly usage: readonly ProcessUsage[];
}

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
): Promise<RunResult> {
  const recipients = Array.from({ length: count }, (_, i) => benchRecipient(i));
  const body = JSON.stringify({ subject: 'Benchmark issue', html: newsletterHtml(), recipients, batchSize: 100 });
  sink.reset();
  const usage = new UsageRecorder([...stack.all.map((s) => ({ label: s.label, pid: s.pid })), ...extraProcesses]);
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
  };
}
