import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  type ConsumerConfig,
  type JetStreamManager,
} from '@nats-io/jetstream';

export interface DurableConsumerSpec {
  readonly stream: string;
  readonly durable: string;
  /** Leave undefined to receive every subject of the stream. */
  readonly filterSubject?: string;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  readonly maxAckPending: number;
}

const nanos = (ms: number) => ms * 1_000_000;

/**
 * Creates a durable pull consumer, or updates the settings that may change in place (ack wait,
 * max deliver, max ack pending). Safe to run from every replica at boot.
 */
export async function ensureDurableConsumer(jsm: JetStreamManager, spec: DurableConsumerSpec): Promise<void> {
  const desired: Partial<ConsumerConfig> = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    max_ack_pending: spec.maxAckPending,
    ...(spec.filterSubject ? { filter_subject: spec.filterSubject } : {}),
  };
  const current = await consumerConfig(jsm, spec.stream, spec.durable);
  if (!current) {
    try {
      await jsm.consumers.add(spec.stream, desired);
      return;
    } catch (error) {
      if (!(await consumerConfig(jsm, spec.stream, spec.durable))) throw error;
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
    await jsm.consumers.update(spec.stream, spec.durable, {
      ack_wait: desired.ack_wait,
      max_deliver: desired.max_deliver,
      max_ack_pending: desired.max_ack_pending,
    });
  }
}

async function consumerConfig(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
): Promise<ConsumerConfig | undefined> {
  try {
    return (await jsm.consumers.info(stream, durable)).config;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.status === 404) return undefined;
    throw error;
  }
}
