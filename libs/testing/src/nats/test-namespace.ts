import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

export const TEST_NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** A namespace no other test run uses: every stream, consumer, bucket and subject carries it. */
export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`.toLowerCase();
}

/** Deletes every stream, KV bucket and object store of a namespace. */
export async function deleteNamespace(namespace: string, url = TEST_NATS_URL): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    await deleteNamespaceWith(nc, namespace);
  } finally {
    await nc.close();
  }
}

async function deleteNamespaceWith(nc: NatsConnection, namespace: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const prefixes = [`${namespace}-`, `KV_${namespace}-`, `OBJ_${namespace}-`];
  const names: string[] = [];
  for await (const name of jsm.streams.names()) {
    if (prefixes.some((p) => name.startsWith(p))) names.push(name);
  }
  await Promise.all(names.map((name) => jsm.streams.delete(name)));
}
