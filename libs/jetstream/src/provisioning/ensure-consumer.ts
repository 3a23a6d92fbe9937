import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  type ConsumerConfig,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { retryTransient } from '../resilience/retry-transient';
import type { EnsureOptions } from './ensure-stream';

export interface DurableConsumerSpec {
  readonly stream: string;
  readonly durable: string;
  /** Leave undefined to receive every subject of the stream. */
  readonly filterSubject?: string;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  /**
   * Unacknowledged messages across all replicas together; -1: no shared cap. Flow control is per
   * process (each pulls only as many messages as it has free slots), so a shared cap only limits
   * how far a deployment can scale out: sized for four senders, the fifth got no work.
   */
  readonly maxAckPending: number;
}

const nanos = (ms: number) => ms * 1_000_000;

/**
 * Creates a durable pull consumer, or updates the settings that may change in place (ack wait,
 * max deliver, max ack pending): the consumer belongs to the service that binds it, so its
 * current configuration is this service's to set. Safe to run from every replica at boot;
 * transient JetStream failures are retried within `options.budgetMs`.
 */
export async function ensureDurableConsumer(jsm: JetStreamManager, spec: DurableConsumerSpec, options: EnsureOptions): Promise<void> {
  const retry = <T>(operation: () => Promise<T>) => retryTransient(operation, options);
  const desired: Partial<ConsumerConfig> = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    max_ack_pending: spec.maxAckPending,
    ...(spec.filterSubject ? { filter_subject: spec.filterSubject } : {}),
  };
  const current = await retry(() => consumerConfig(jsm, spec.stream, spec.durable));
  if (!current) {
    try {
      await retry(() => jsm.consumers.add(spec.stream, desired));
      return;
    } catch (error) {
      if (!(await retry(() => consumerConfig(jsm, spec.stream, spec.durable)))) throw error;
      return;
    }
  }
  if ((current.filter_subject ?? '') !== (spec.filterSubject ?? '')) {
    throw new Error(
      `Consumer ${spec.durable} on ${spec.stream} filters "${current.filter_subject ?? ''}", expected "${spec.filterSubject ?? ''}"; delete it to re-create`,
    );
  }
  const changed =
    current.ack_wait !== desired.ack_wait ||
    current.max_deliver !== desired.max_deliver ||
    current.max_ack_pending !== desired.max_ack_pending;
  if (changed) {
    await retry(() =>
      jsm.consumers.update(spec.stream, spec.durable, {
        ack_wait: desired.ack_wait,
        max_deliver: desired.max_deliver,
        max_ack_pending: desired.max_ack_pending,
      }),
    );
  }
}

/** The consumer's configuration, or undefined when it does not exist. */
async function consumerConfig(jsm: JetStreamManager, stream: string, durable: string): Promise<ConsumerConfig | undefined> {
  try {
    return (await jsm.consumers.info(stream, durable)).config;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.status === 404) return undefined;
    throw error;
  }
}
