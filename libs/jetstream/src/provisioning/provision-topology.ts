import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { RECIPIENT_EVENTS_DUPLICATE_WINDOW_MS, streamSubjects, type Topology } from '@mailroom/contracts';
import { retryTransient } from '../resilience/retry-transient';
import { isTransientNatsError } from '../resilience/transient-errors';
import { compareSettings, ensureStream, isSubjectOverlap, streamConfig, type EnsureOptions, type ProvisioningMismatch } from './ensure-stream';

const nanos = (ms: number) => ms * 1_000_000;
const DAY_MS = 86_400_000;

export interface ProvisioningOptions {
  /**
   * Replicas of every stream, bucket and object store this process creates (STREAM_REPLICAS: 1,
   * or 3 on a cluster). Required: a service that left it out once created R1 buckets on an R3
   * deployment (issue 13).
   */
  readonly replicas: number;
  /** How long a boot keeps retrying while the cluster forms or elects leaders (BOOT_TIMEOUT_MS). */
  readonly budgetMs: number;
  /** How long events, dead letters, ledger entries, failures and webhook deliveries are kept (bucket-wide max_age). */
  readonly retentionDays?: number;
  /** JetStream duplicate window (msgID dedup). Held in memory by the server: keep it minutes. */
  readonly duplicateWindowMs?: number;
  readonly onRetry?: EnsureOptions['onRetry'];
  /** Limits of the recipient-events stream (RECIPIENT_EVENTS_MAX_AGE_HOURS, RECIPIENT_EVENTS_MAX_BYTES); absent: their defaults. */
  readonly recipientEvents?: { readonly maxAgeMs: number; readonly maxBytes: number };
}

const DEFAULT_RETENTION_DAYS = 30;
/** The defaults of RECIPIENT_EVENTS_MAX_AGE_HOURS (72 h) and RECIPIENT_EVENTS_MAX_BYTES (0: no byte cap). */
const DEFAULT_RECIPIENT_EVENTS = { maxAgeMs: 72 * 3_600_000, maxBytes: 0 };
const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

export interface Stores {
  readonly newsletters: KV;
  readonly ledger: KV;
  readonly failures: KV;
  readonly suppressions: KV;
  /** Soft bounces per address (see SoftBounceRecords). */
  readonly softBounces: KV;
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

/** A setting of an existing stream that provisioning changed (an upgrade). */
export interface ProvisioningMove {
  readonly stream: string;
  readonly setting: 'max_age';
  readonly from: number;
  readonly to: number;
}

interface Provisioned {
  readonly stores: Stores;
  /** Existing streams whose settings differ from what this process would create (left unchanged). */
  readonly mismatches: readonly ProvisioningMismatch[];
  /** Existing streams whose settings were changed (buckets created with a max_age by an older version). */
  readonly moved: readonly ProvisioningMove[];
}

/** An Idempotency-Key is honoured this long. */
const IDEMPOTENCY_TTL_MS = 86_400_000;

/**
 * Creates every stream, bucket and object store of a namespace that does not exist yet, and
 * checks the ones that do. Every service runs it at boot, so any one of them can start first, and
 * all of them can start at once against a cluster that is still forming: JetStream's answers
 * "not now" (timeouts, no meta leader, peers not placed yet) are retried within `budgetMs`.
 */
export async function provisionTopology(
  js: JetStreamClient,
  jsm: JetStreamManager,
  t: Topology,
  options: ProvisioningOptions,
): Promise<Provisioned> {
  const ensure: EnsureOptions = { budgetMs: options.budgetMs, ...(options.onRetry ? { onRetry: options.onRetry } : {}) };
  const retry = <T>(operation: () => Promise<T>) => retryTransient(operation, ensure);
  /**
   * For reading a stream just created or found: on a cluster, a stream the meta leader has just
   * created can answer "stream not found" for a moment (seen on nats-server 2.10.27 at boot: the
   * gateway died with StreamNotFoundError from `kv.status()` right after `kvm.create`).
   */
  const retryJustCreated = <T>(operation: () => Promise<T>) =>
    retryTransient(operation, { ...ensure, retryable: (error) => isTransientNatsError(error) || isStreamNotFound(error) });
  const retentionMs = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS;
  const mismatches: ProvisioningMismatch[] = [];
  const moved: ProvisioningMove[] = [];

  // JetStream answers account info only once the meta group has a leader: wait for that first.
  await retry(() => jsm.getAccountInfo());

  const common = {
    storage: StorageType.File,
    num_replicas: options.replicas,
    duplicate_window: nanos(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
    max_msg_size: 1024 * 1024,
  };
  const streams: Array<Partial<StreamConfig> & { name: string }> = [
    { ...common, name: t.streams.requests, subjects: streamSubjects(t, 'requests'), retention: RetentionPolicy.Workqueue, discard: DiscardPolicy.New },
    { ...common, name: t.streams.batches, subjects: streamSubjects(t, 'batches'), retention: RetentionPolicy.Workqueue, discard: DiscardPolicy.New },
    {
      ...common,
      name: t.streams.events,
      subjects: streamSubjects(t, 'events'),
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: nanos(retentionMs),
    },
    {
      ...common,
      name: t.streams.deadLetters,
      subjects: streamSubjects(t, 'deadLetters'),
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: nanos(retentionMs),
    },
    // Batches of paused newsletters wait here (one subject per newsletter) until they are resumed,
    // and batches held for their turn (the dispatcher's window). No max_age: a pause holds however
    // long it lasts (the leading tracker bounds it, PAUSE_LIMIT_MS), and the retention cleaner
    // removes what a removed newsletter left (see keepUntilCleaned below).
    {
      ...common,
      name: t.streams.parked,
      subjects: streamSubjects(t, 'parked'),
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.New,
      max_age: 0,
    },
    // Per-recipient events for anyone to consume (limits, not a work queue: every consumer sees
    // every event); bounded in age and bytes, since each one names an address. Created whatever
    // RECIPIENT_EVENTS says, so a consumer can bind before the switch is turned on.
    {
      ...common,
      name: t.streams.recipientEvents,
      subjects: streamSubjects(t, 'recipientEvents'),
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: nanos((options.recipientEvents ?? DEFAULT_RECIPIENT_EVENTS).maxAgeMs),
      // 0: no cap (JetStream's -1). A cap is reserved on the server's storage at creation.
      max_bytes: (options.recipientEvents ?? DEFAULT_RECIPIENT_EVENTS).maxBytes || -1,
      duplicate_window: nanos(RECIPIENT_EVENTS_DUPLICATE_WINDOW_MS),
    },
    // Captures the server's own max-deliveries advisories, so they wait for the tracker even
    // while it is down.
    {
      ...common,
      name: t.streams.advisories,
      subjects: streamSubjects(t, 'advisories'),
      retention: RetentionPolicy.Workqueue,
      discard: DiscardPolicy.Old,
      max_age: nanos(7 * DAY_MS),
    },
  ];
  // Streams whose entries live until the tracker's retention cleaner removes them: one created
  // with a max_age by an older version is moved to none (a stream config update, which 2.9 allows).
  const keptUntilCleaned = new Set([t.streams.parked]);
  // One at a time: on a cluster every create is a meta-group proposal, and nine processes firing
  // all of theirs at once is what made boots time out.
  for (const stream of streams) {
    const found = await ensureStream(jsm, stream, ensure);
    const aged = found.find((m) => m.setting === 'max_age');
    if (keptUntilCleaned.has(stream.name) && aged) {
      const { config } = await retry(() => jsm.streams.info(stream.name));
      await retry(() => jsm.streams.update(stream.name, { ...config, max_age: 0 }));
      moved.push({ stream: stream.name, setting: 'max_age', from: config.max_age, to: 0 });
      mismatches.push(...found.filter((m) => m !== aged));
    } else {
      mismatches.push(...found);
    }
  }

  /**
   * `keepUntilCleaned`: the bucket has no max_age (its entries live until the tracker's retention
   * cleaner removes them, counting from when the newsletter settled); one created with a max_age
   * by an older version is moved to none (a stream config update, which 2.9 allows).
   */
  const settle = async (existing: StreamConfig, ttlMs: number, keepUntilCleaned: boolean): Promise<void> => {
    let config = existing;
    if (keepUntilCleaned && config.max_age !== 0) {
      const previous = config.max_age;
      config = (await retry(() => jsm.streams.update(existing.name, { ...existing, max_age: 0 }))).config;
      moved.push({ stream: config.name, setting: 'max_age', from: previous, to: 0 });
    }
    mismatches.push(...compareSettings(config.name, config, { num_replicas: options.replicas, max_age: nanos(ttlMs) }));
  };
  /**
   * Creates a bucket or object store that several processes may create at the same moment. The
   * client looks the stream up, finds nothing and adds it; when another process's add lands in
   * between, nats-server 2.9.10 can answer ours "subjects overlap with an existing stream" (the
   * other one is that same stream: seen in CI, a splitter died at boot; about 1 provisioning in 100 when
   * four processes provision a namespace at once). The stream is then there, and a second create
   * finds it. An overlap while no stream of that name exists is a real conflict and is thrown.
   */
  const createConcurrently = <T>(streamName: string, operation: () => Promise<T>, alsoRetryable: (error: unknown) => boolean = () => false): Promise<T> => {
    const attempt = () => retryTransient(operation, { ...ensure, retryable: (error) => isTransientNatsError(error) || alsoRetryable(error) });
    return attempt().catch(async (error: unknown) => {
      if (!isSubjectOverlap(error) || !(await retry(() => streamConfig(jsm, streamName)))) throw error;
      return attempt();
    });
  };
  const kvm = new Kvm(js);
  /**
   * `readFromLeader`: this client's gets go to the stream leader (`STREAM.MSG.GET`), never to a
   * replica (a direct get, nats.js's default, which any replica answers once it is 90 % caught up:
   * a server back from an outage can answer with what it had before). For the buckets whose reads
   * decide whether an email is sent. Set on the client, so buckets created earlier with direct
   * gets allowed need no change; new ones are created without them.
   */
  const bucket = async (name: string, ttlMs: number, { keepUntilCleaned = false, readFromLeader = false } = {}): Promise<KV> => {
    const kv = await createConcurrently(`KV_${name}`, () =>
      kvm.create(name, { history: 1, storage: StorageType.File, ttl: ttlMs, replicas: options.replicas, ...(readFromLeader ? { allow_direct: false } : {}) }),
    );
    const { streamInfo } = await retryJustCreated(() => kv.status());
    await settle(streamInfo.config, ttlMs, keepUntilCleaned);
    return kv;
  };
  const objm = new Objm(js);
  const objectStore = async (name: string, ttlMs: number, keepUntilCleaned = false): Promise<ObjectStore> => {
    // Objm.create adds the stream only when its lookup answers "stream not found"; any other
    // answer (a timeout while a cluster forms) is swallowed and nothing is created, so status()
    // then says "object store not found": the whole create is tried again (seen on a fresh 3-node
    // nats-server 2.10.27 cluster: a sender died at boot with that error).
    const store = await createConcurrently(
      `OBJ_${name}`,
      async () => {
        const os = await objm.create(name, { storage: StorageType.File, ttl: nanos(ttlMs), replicas: options.replicas });
        await os.status();
        return os;
      },
      isObjectStoreNotFound,
    );
    const { streamInfo } = await retryJustCreated(() => store.status());
    await settle(streamInfo.config, ttlMs, keepUntilCleaned);
    return store;
  };

  // A newsletter record and its content live until the newsletter has settled and then
  // RETENTION (the tracker's cleaner): a schedule a year ahead must still find them.
  const newsletters = await bucket(t.buckets.newsletters, 0, { keepUntilCleaned: true });
  // Whether a batch was opened before, and what it sent, is read from the leader: exactly once.
  const ledger = await bucket(t.buckets.ledger, retentionMs, { readFromLeader: true });
  const failures = await bucket(t.buckets.failures, retentionMs);
  // Suppressions never expire: an unsubscribe is forever.
  const suppressions = await bucket(t.buckets.suppressions, 0);
  // An address's soft bounces are forgotten 30 days after the last one: the longest window counted over.
  const softBounces = await bucket(t.buckets.softBounces, 30 * DAY_MS);
  const idempotency = await bucket(t.buckets.idempotency, IDEMPOTENCY_TTL_MS);
  // Leases are compare-and-set at the leader anyway; a stale read only made a claim retry in a loop.
  const batchLeases = await bucket(t.buckets.batchLeases, DAY_MS, { readFromLeader: true });
  // A bucket record left unused would be full anyway: losing it after an hour costs nothing.
  const rateLimits = await bucket(t.buckets.rateLimits, 3_600_000);
  const webhooks = await bucket(t.buckets.webhooks, retentionMs);
  // A pause holds however long it lasts (bounded by the tracker, PAUSE_LIMIT_MS); the retention
  // cleaner removes a control with its newsletter.
  const controls = await bucket(t.buckets.controls, 0, { keepUntilCleaned: true });
  // A schedule lasts until it fires or is cancelled, however far ahead.
  const schedules = await bucket(t.buckets.schedules, 0);
  // Subscriber lists outlive any newsletter: neither their records nor their parts expire.
  const lists = await bucket(t.buckets.lists, 0);
  const content = await objectStore(t.objectStores.content, 0, true);
  const listParts = await objectStore(t.objectStores.listParts, 0);
  return {
    stores: { newsletters, ledger, failures, suppressions, softBounces, idempotency, batchLeases, rateLimits, webhooks, controls, schedules, content, lists, listParts },
    mismatches,
    moved,
  };
}

/** What `ObjectStore.status()` rejects with when the store's stream does not exist (a plain Error). */
function isObjectStoreNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { message?: unknown }).message === 'object store not found';
}

/** JetStream's "stream not found" (10059), by class name, code or text (nats.js v3 has its own error class for it). */
function isStreamNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown; api_error?: { err_code?: unknown } }).api_error?.err_code ?? (error as { code?: unknown }).code;
  return error.name === 'StreamNotFoundError' || code === 10059 || /stream not found/i.test(error.message);
}
