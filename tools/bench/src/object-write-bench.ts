// The control of this A/B is nats.js's own object-store put, used as ContentStore used it before.
// eslint-disable-next-line no-restricted-imports
import { connect } from '@nats-io/transport-node';
// eslint-disable-next-line no-restricted-imports
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
// eslint-disable-next-line no-restricted-imports
import { Objm, type ObjectStore } from '@nats-io/obj';
import { ContentStore } from '@mailroom/jetstream';
import { TEST_NATS_URL, uniqueNamespace } from '@mailroom/testing';
import { median } from './report';
import { benchRecipient } from './newsletter-body';

/**
 * `npm run bench -- object-write`: how long the gateway's store of an inline list takes (NDJSON of
 * `count` recipients into the content object store, as POST /v1/newsletters does before its 202),
 * nats.js's `ObjectStore.put` (each chunk acknowledged before the next, pure-JavaScript SHA-256)
 * against ContentStore.putLines (writeObject: chunks pipelined, node:crypto), alternating in one
 * process against the machine's NATS server, medians of `runs`. The ratio is what to read.
 */
export async function runObjectWriteBench(options: { readonly runs: number; readonly count: number }): Promise<void> {
  const nc = await connect({ servers: TEST_NATS_URL });
  const bucket = uniqueNamespace('bench-objw');
  const store = await new Objm(nc).create(bucket);
  const maxPayload = nc.info?.max_payload;
  const contents = new ContentStore(store, { js: jetstream(nc), jsm: await jetstreamManager(nc), bucket, ...(maxPayload !== undefined ? { maxPayload } : {}) });
  const recipients = Array.from({ length: options.count }, (_, i) => benchRecipient(i));
  const kinds = {
    'nats.js ObjectStore.put': (name: string) => natsJsPutLines(store, name, recipients),
    'ContentStore.putLines': (name: string) => contents.putLines(name, recipients),
  } as const;
  const results = new Map<string, Array<{ ms: number; cpuMs: number }>>();
  let bytes = 0;
  try {
    for (let run = 0; run < options.runs; run += 1) {
      for (const [label, write] of Object.entries(kinds)) {
        const name = `run-${run}-${label}`;
        const startedCpu = process.cpuUsage();
        const started = performance.now();
        await write(name);
        const ms = performance.now() - started;
        const cpu = process.cpuUsage(startedCpu);
        bytes = (await store.info(name))!.size;
        await store.delete(name);
        results.set(label, [...(results.get(label) ?? []), { ms, cpuMs: (cpu.user + cpu.system) / 1000 }]);
        console.log(`[bench] ${label}: ${ms.toFixed(0)} ms (${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU)`);
      }
    }
  } finally {
    await store.destroy().catch(() => undefined);
    await nc.close();
  }
  console.log(`\n${options.count.toLocaleString('en-US')} recipients, ${(bytes / 1e6).toFixed(1)} MB of NDJSON per write`);
  for (const [label, values] of results) {
    const ms = values.map((v) => v.ms);
    console.log(`${label}: median ${median(ms).toFixed(0)} ms, ${median(values.map((v) => v.cpuMs)).toFixed(0)} ms CPU (${ms.map((v) => v.toFixed(0)).join(', ')})`);
  }
  const [control, ours] = [...results.values()].map((values) => median(values.map((v) => v.ms)));
  console.log(`ratio: ${(ours! / control!).toFixed(2)}`);
}

/** ContentStore.putLines as it was before writeObject: 64 KB of NDJSON pulled at a time by nats.js's put. */
async function natsJsPutLines(store: ObjectStore, name: string, items: readonly unknown[]): Promise<void> {
  const encoder = new TextEncoder();
  const source = items[Symbol.iterator]();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      let chunk = '';
      while (chunk.length < 64 * 1024) {
        const next = source.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += `${JSON.stringify(next.value)}\n`;
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
  await store.put({ name }, stream);
}
