import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { topology } from '@mailroom/contracts';

export const TEST_NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** A namespace no other test run uses: every stream, consumer, bucket and subject carries it. */
export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`.toLowerCase();
}

/** The stream behind a KV bucket (a NATS convention, not one of our names). */
export const kvStreamName = (bucket: string): string => `KV_${bucket}`;
/** The stream behind an object store. */
export const objectStoreStreamName = (store: string): string => `OBJ_${store}`;

/** Every JetStream stream a namespace provisions: its streams, and those behind its KV buckets and object stores. */
export function namespaceStreamNames(namespace: string): string[] {
  const t = topology(namespace);
  return [
    ...Object.values(t.streams),
    ...Object.values(t.buckets).map(kvStreamName),
    ...Object.values(t.objectStores).map(objectStoreStreamName),
  ].sort();
}

/** Deletes every stream, KV bucket and object store of a namespace. `url` may list several servers, comma-separated. */
export async function deleteNamespace(namespace: string, url = TEST_NATS_URL): Promise<void> {
  const nc = await connect({ servers: url.split(',').map((s) => s.trim()).filter(Boolean) });
  try {
    await deleteNamespaceWith(nc, namespace);
  } finally {
    await nc.close();
  }
}

async function deleteNamespaceWith(nc: NatsConnection, namespace: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const prefixes = [`${namespace}-`, kvStreamName(`${namespace}-`), objectStoreStreamName(`${namespace}-`)];
  const names: string[] = [];
  for await (const name of jsm.streams.names()) {
    if (prefixes.some((p) => name.startsWith(p))) names.push(name);
  }
  await Promise.all(names.map((name) => jsm.streams.delete(name)));
}

/**
 * Runs `use` with JetStream handles of a connection of its own, closed afterwards: for tests that
 * look at (or publish into) the broker beside the code under test, whose own handles are private.
 */
export async function withJetStream<T>(use: (js: JetStreamClient, jsm: JetStreamManager) => Promise<T>, url = TEST_NATS_URL): Promise<T> {
  const nc = await connect({ servers: url });
  try {
    return await use(jetstream(nc), await jetstreamManager(nc));
  } finally {
    await nc.close();
  }
}
