import {
  JetStreamApiError,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { retryTransient } from '../resilience/retry-transient';

/** A setting of an existing stream that differs from what this process would have created. */
export interface ProvisioningMismatch {
  /** The stream (a KV bucket's is `KV_<bucket>`, an object store's `OBJ_<store>`). */
  readonly stream: string;
  readonly setting: string;
  readonly current: unknown;
  readonly desired: unknown;
}

/** Settings compared with an existing stream and reported when they differ; never changed. */
const REPORTED_SETTINGS = ['num_replicas', 'storage', 'max_age', 'max_bytes', 'duplicate_window', 'max_msg_size', 'discard'] as const;

export interface EnsureOptions {
  /** How long to keep retrying transient failures (leader elections, a cluster still forming). */
  readonly budgetMs: number;
  readonly onRetry?: (error: unknown, attempt: number) => void;
}

/**
 * Creates a stream, or checks an existing one. Safe to run from every replica of every service at
 * boot, at the same time. An existing stream is never rewritten with different settings: another
 * process (an older version, a different STREAM_REPLICAS) created it, and a change such as
 * `num_replicas` is a real reconfiguration of a live cluster, not a fix. Differences are returned
 * for the caller to report. The one change made is adding subjects the stream lacks (a newer
 * Mailroom listening on a new subject), which nothing running can depend on being absent.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  desired: Partial<StreamConfig> & { name: string },
  options: EnsureOptions,
): Promise<ProvisioningMismatch[]> {
  const retry = <T>(operation: () => Promise<T>) => retryTransient(operation, options);
  let current = await retry(() => streamConfig(jsm, desired.name));
  if (!current) {
    try {
      await retry(() => jsm.streams.add(desired));
      return [];
    } catch (error) {
      // Another process created it between our lookup and our add (with other settings, or the
      // server would have answered as for our own add): compare below.
      current = await retry(() => streamConfig(jsm, desired.name));
      if (!current) throw isSubjectOverlap(error) ? await explainOverlap(jsm, desired, error) : error;
    }
  }
  if (desired.retention !== undefined && current.retention !== desired.retention) {
    throw new Error(
      `Stream ${desired.name} exists with retention "${current.retention}", expected "${desired.retention}"; it cannot be changed in place`,
    );
  }
  const missing = (desired.subjects ?? []).filter((s) => !(current.subjects ?? []).includes(s));
  if (missing.length > 0) {
    const subjects = [...(current.subjects ?? []), ...missing];
    await retry(() => jsm.streams.update(desired.name, { ...current, subjects }));
  }
  return compareSettings(desired.name, current, desired);
}

/** The reported settings in which `current` differs from `desired` (settings `desired` leaves out are not compared). */
export function compareSettings(stream: string, current: Partial<StreamConfig>, desired: Partial<StreamConfig>): ProvisioningMismatch[] {
  return REPORTED_SETTINGS.filter((setting) => desired[setting] !== undefined && current[setting] !== desired[setting]).map((setting) => ({
    stream,
    setting,
    current: current[setting],
    desired: desired[setting],
  }));
}

/** How a mismatch reads in a log line, with what an operator can do about it. */
export function describeMismatch(m: ProvisioningMismatch): string {
  const fix =
    m.setting === 'num_replicas'
      ? `; Mailroom never changes replicas of an existing stream: if ${String(m.desired)} is right, run \`nats stream edit ${m.stream} --replicas ${String(m.desired)}\``
      : '; left as it is';
  return `Stream ${m.stream} has ${m.setting} ${String(m.current)}, this process would create it with ${String(m.desired)}${fix}`;
}

export async function streamConfig(jsm: JetStreamManager, name: string): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** JetStream's answer to a stream whose subjects another stream already captures (10065). */
export function isSubjectOverlap(error: unknown): error is Error {
  return error instanceof JetStreamApiError && (error.code === 10065 || /subjects overlap/i.test(error.message));
}

/**
 * The overlap error with the streams that hold the subjects, which the server does not name: the
 * first thing an operator (or a test run sharing a server) needs in order to find the culprit.
 */
async function explainOverlap(jsm: JetStreamManager, desired: Partial<StreamConfig> & { name: string }, error: Error): Promise<Error> {
  const holders: string[] = [];
  for (const subject of desired.subjects ?? []) {
    try {
      for await (const name of jsm.streams.names(subject)) {
        const info = await jsm.streams.info(name).catch(() => undefined);
        holders.push(`${name} [${(info?.config.subjects ?? []).join(', ')}] holds ${subject}`);
      }
    } catch {
      // The explanation is best effort: the original error is what matters.
    }
  }
  const detail = holders.length > 0 ? holders.join('; ') : 'no stream found holding them now';
  return new Error(`Stream ${desired.name} (subjects ${(desired.subjects ?? []).join(', ')}): ${error.message}: ${detail}`, { cause: error });
}
