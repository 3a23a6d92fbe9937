import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { streamSubjects, type Topology } from '@mailroom/contracts';
import { ensureStream } from './ensure-stream';

const nanos = (ms: number) => ms * 1_000_000;
const DAY_MS = 86_400_000;

export interface RetentionOptions {
  /** How long events, ledger entries and stored content are kept. */
  readonly retentionDays: number;
  /** JetStream duplicate window (msgID dedup). Held in memory by the server: keep it minutes. */
  readonly duplicateWindowMs: number;
  /** Replicas of every stream, bucket and object store (1, or 3 on a cluster). */
  readonly replicas: number;
}

export const DEFAULT_RETENTION: RetentionOptions = { retentionDays: 30, duplicateWindowMs: 120_000, replicas: 1 };

export interface Stores {
  readonly newsletters: KV;
  readonly ledger: KV;
  readonly failures: KV;
  readonly suppressions: KV;
  readonly idempotency: KV;
  readonly batchLeases: KV;
  readonly rateLimits: KV;
  readonly webhooks: KV;
  readonly controls: KV;
  readonly schedules: KV;
  readonly content: ObjectStore;
  /** Subscriber lists (see Topology.buckets.lists). */
  readonly lists: KV;
  /** Subscriber-list parts (see Topology.objectStores.listParts). */
  readonly listParts: ObjectStore;
}

/** An Idempotency-Key is honoured this long. */
export const IDEMPOTENCY_TTL_MS = 86_400_000;

/**
 * Creates (or updates) every stream, bucket and object store of a namespace. Every service runs
 * it at boot, so any one of them can start first.
 */
export async function provisionTopology(
  js: JetStreamClient,
  jsm: JetStreamManager,
  t: Topology,
  retention: RetentionOptions = DEFAULT_RETENTION,
): Promise<Stores> {
  const common = {
    storage: StorageType.File,
    num_replicas: retention.replicas,
    duplicate_window: nanos(retention.duplicateWindowMs),
    max_msg_size: 1024 * 1024,
  };
  await ensureStream(jsm, {
    ...common,
    name: t.streams.requests,
    subjects: streamSubjects(t, 'requests'),
    retention: RetentionPolicy.Workqueue,
    discard: DiscardPolicy.New,
  });
  await ensureStream(jsm, {
    ...common,
    name: t.streams.batches,
    subjects: streamSubjects(t, 'batches'),
    retention: RetentionPolicy.Workqueue,
    discard: DiscardPolicy.New,
  });
  await ensureStream(jsm, {
    ...common,
    name: t.streams.events,
    subjects: streamSubjects(t, 'events'),
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(retention.retentionDays * DAY_MS),
  });
  await ensureStream(jsm, {
    ...common,
    name: t.streams.deadLetters,
    subjects: streamSubjects(t, 'deadLetters'),
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(retention.retentionDays * DAY_MS),
  });
  // Batches of paused newsletters wait here (one subject per newsletter) until they are resumed.
  await ensureStream(jsm, {
    ...common,
    name: t.streams.parked,
    subjects: streamSubjects(t, 'parked'),
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.New,
    max_age: nanos(retention.retentionDays * DAY_MS),
  });
  // Captures the server's own max-deliveries advisories, so they wait for the tracker even
  // while it is down.
  await ensureStream(jsm, {
    ...common,
    name: t.streams.advisories,
    subjects: streamSubjects(t, 'advisories'),
    retention: RetentionPolicy.Workqueue,
    discard: DiscardPolicy.Old,
    max_age: nanos(7 * DAY_MS),
  });

  const kvm = new Kvm(js);
  const ttl = retention.retentionDays * DAY_MS;
  const bucket = (name: string, ttlMs: number) =>
    kvm.create(name, { history: 1, storage: StorageType.File, ttl: ttlMs, replicas: retention.replicas });
  const [newsletters, ledger, failures, suppressions, idempotency, batchLeases, rateLimits, webhooks, controls, schedules] = await Promise.all([
    bucket(t.buckets.newsletters, ttl),
    bucket(t.buckets.ledger, ttl),
    bucket(t.buckets.failures, ttl),
    // Suppressions never expire: an unsubscribe is forever.
    bucket(t.buckets.suppressions, 0),
    bucket(t.buckets.idempotency, IDEMPOTENCY_TTL_MS),
    bucket(t.buckets.batchLeases, DAY_MS),
    // A bucket record left unused would be full anyway: losing it after an hour costs nothing.
    bucket(t.buckets.rateLimits, 3_600_000),
    bucket(t.buckets.webhooks, ttl),
    bucket(t.buckets.controls, ttl),
    // A schedule lasts until it fires or is cancelled, however far ahead.
    bucket(t.buckets.schedules, 0),
  ]);
  const content = await new Objm(js).create(t.objectStores.content, {
    storage: StorageType.File,
    ttl: nanos(ttl),
    replicas: retention.replicas,
  });
  // Subscriber lists outlive any newsletter: neither their records nor their parts expire.
  const lists = await bucket(t.buckets.lists, 0);
  const listParts = await new Objm(js).create(t.objectStores.listParts, { storage: StorageType.File, replicas: retention.replicas });
  return { newsletters, ledger, failures, suppressions, idempotency, batchLeases, rateLimits, webhooks, controls, schedules, content, lists, listParts };
}
