import { gzipSync } from 'node:zlib';
import { MailroomStack, ServiceProcess, SmtpSink, TEST_API_KEY, TEST_NATS_URL, deleteNamespace, uniqueNamespace } from '@mailroom/testing';
import { peakRssBytes, rssBytes } from './process-stats';

const MB = 1024 * 1024;
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Gateway peak RSS growth (VmHWM after − RSS before) while `concurrency` unauthenticated clients
 * each POST ~1 MB of gzip that would inflate to 8 MB of JSON. Target: < 100 MB.
 */
async function rssGrowth(concurrency: number): Promise<number> {
  const namespace = uniqueNamespace('bench-edge');
  const gateway = await ServiceProcess.start('gateway', {
    // The failed-authentication throttle off: this measures the key-before-body check alone (the throttle only helps).
    env: { NATS_URL: TEST_NATS_URL, MAILROOM_NAMESPACE: namespace, API_KEYS: `bench:${TEST_API_KEY}`, AUTH_FAILURES_PER_MINUTE: '0' },
  });
  try {
    // Incompressible enough to stay ~1 MB gzipped, 8 MB inflated.
    const json = `{"subject":"x","html":"${Array.from({ length: 8 * MB / 64 }, (_, i) => `${i.toString(36)}${Math.random().toString(36)}`.padEnd(64, 'x').slice(0, 64)).join('')}"}`;
    const gzip = gzipSync(Buffer.from(json), { level: 9 });
    await fetch(`${gateway.baseUrl}/health/live`);
    const before = rssBytes(gateway.pid);
    const statuses = await Promise.all(
      Array.from({ length: concurrency }, () =>
        fetch(`${gateway.baseUrl}/v1/newsletters`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: 'Bearer wrong-key-0123456789abcdef' },
          body: gzip,
        }).then((res) => res.status, () => 'closed'),
      ),
    );
    const growth = peakRssBytes(gateway.pid) - before;
    process.stdout.write(`  gzip ${(gzip.length / MB).toFixed(2)} MB → ${(json.length / MB).toFixed(1)} MB; answers: ${[...new Set(statuses)].join(',')}; peak RSS growth ${(growth / MB).toFixed(1)} MB\n`);
    return growth;
  } finally {
    await gateway.stop();
    await deleteNamespace(namespace);
  }
}

/**
 * Worst latency of the sender's /health/live, polled every 20 ms while a newsletter whose
 * template runs past its budget for every recipient but the gateway's sample is sent to
 * `recipients` addresses. Target: < 200 ms.
 */
async function healthLatency(recipients: number): Promise<number> {
  const sink = await SmtpSink.start();
  const stack = await MailroomStack.start({ smtpUrl: sink.url, oneAtATime: true });
  try {
    const sender = stack.senders[0]!;
    const html = '{% if email != "reader@example.org" %}{% for i in (1..4000) %}{% for j in (1..4000) %}{% endfor %}{% endfor %}{% endif %}Hi';
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Pathological', html, recipients: Array.from({ length: recipients }, (_, i) => `r${i}@example.org`) },
    });
    if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${JSON.stringify(res.body)}`);
    let worst = 0;
    let settled = false;
    const done = stack.waitForNewsletter(res.body.id, (v) => ['completed', 'failed', 'cancelled'].includes(v.status), 120_000).then(() => (settled = true));
    while (!settled) {
      const started = performance.now();
      await fetch(`${sender.baseUrl}/health/live`);
      worst = Math.max(worst, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await done;
    process.stdout.write(`  ${recipients} recipients: worst /health/live ${worst.toFixed(0)} ms\n`);
    return worst;
  } finally {
    await stack.stop();
    await sink.close();
  }
}

/** `npm run bench -- edge [--runs N]`: the two edge benchmarks, medians of `runs`. */
export async function runEdgeBench(options: { readonly runs: number }): Promise<void> {
  const growths: number[] = [];
  const latencies: number[] = [];
  for (let run = 1; run <= options.runs; run++) {
    process.stdout.write(`run ${run}/${options.runs}\n`);
    growths.push(await rssGrowth(30));
    latencies.push(await healthLatency(500));
  }
  process.stdout.write(
    `gateway peak RSS growth, 30 unauthenticated 1 MB-gzip→8 MB bodies: median ${(median(growths) / MB).toFixed(1)} MB (target < 100 MB; runs ${growths.map((g) => (g / MB).toFixed(1)).join(', ')})\n` +
      `sender /health/live worst latency during a pathological-template newsletter: median ${median(latencies).toFixed(0)} ms (target < 200 ms; runs ${latencies.map((l) => l.toFixed(0)).join(', ')})\n`,
  );
}
