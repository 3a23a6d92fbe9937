// Requests are measured on a bare nats.js connection, the one thing the patch changes.
// eslint-disable-next-line no-restricted-imports
import { connect } from '@nats-io/transport-node';
import { makeAnsweredRequestCancelCheap } from '@mailroom/jetstream';
import { TEST_NATS_URL, uniqueNamespace } from '@mailroom/testing';
import { median } from './report';

/** Requests in flight at once, as the sender's ledger writes are. */
const IN_FLIGHT = 100;

/**
 * `npm run bench -- nats-request`: CPU per answered request (requester and responder in this
 * process, against the machine's NATS server), nats-core as installed and then with
 * `makeAnsweredRequestCancelCheap` (no error built for a request already answered). The patch
 * cannot be taken back, so the runs are not interleaved: `runs` without it, then `runs` with it,
 * after a warm-up. Every ledger write and JetStream publish of the sender is such a request.
 */
export async function runNatsRequestBench(options: { readonly runs: number; readonly count: number }): Promise<void> {
  const nc = await connect({ servers: TEST_NATS_URL, noAsyncTraces: true });
  const subject = `${uniqueNamespace('bench-req')}.echo`;
  nc.subscribe(subject, { callback: (_error, message) => {
      message.respond('ok');
    },
  });
  const cpuPerRequest = async (count: number) => {
    const started = process.cpuUsage();
    for (let sent = 0; sent < count; sent += IN_FLIGHT) {
      await Promise.all(Array.from({ length: IN_FLIGHT }, () => nc.request(subject, 'ping', { timeout: 5_000 })));
    }
    const used = process.cpuUsage(started);
    return (used.user + used.system) / count;
  };
  const results: Record<string, number[]> = { 'nats-core as installed': [], 'answered requests cancel cheaply': [] };
  try {
    await cpuPerRequest(options.count / 2);
    for (const label of Object.keys(results)) {
      if (label !== 'nats-core as installed') makeAnsweredRequestCancelCheap();
      for (let run = 0; run < options.runs; run += 1) {
        const microseconds = await cpuPerRequest(options.count);
        results[label]!.push(microseconds);
        console.log(`[bench] ${label}: ${microseconds.toFixed(1)} µs CPU per request`);
      }
    }
  } finally {
    await nc.close();
  }
  console.log(`\n${options.count.toLocaleString('en-US')} requests per run, ${IN_FLIGHT} in flight`);
  for (const [label, values] of Object.entries(results)) console.log(`${label}: median ${median(values).toFixed(1)} µs per request (${values.map((v) => v.toFixed(1)).join(', ')})`);
  const [before, after] = Object.values(results).map(median);
  console.log(`ratio: ${(after! / before!).toFixed(2)}`);
}
