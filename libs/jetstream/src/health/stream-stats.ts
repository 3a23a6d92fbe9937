import { Injectable } from '@nestjs/common';
import type { Topology } from '@mailroom/contracts';
import { JetStreamConnection } from '../connection/jetstream-connection';

export type StreamRoleName = keyof Topology['streams'];

/** One durable consumer's state, named without the namespace (`sender`, `tracker` …). */
export interface ConsumerStats {
  readonly name: string;
  /** Not yet delivered (its backlog). */
  readonly pending: number;
  /** Delivered and not yet acknowledged. */
  readonly ackPending: number;
  /** Delivered more than once and not yet acknowledged. */
  readonly redelivered: number;
  /** Pull requests waiting (0: no replica is pulling). */
  readonly waiting: number;
}

export interface StreamStatsOf {
  readonly messages: number;
  readonly consumers: readonly ConsumerStats[];
}

/** The size of each stream of the namespace and the state of its durable consumers, read from JetStream. */
@Injectable()
export class StreamStats {
  constructor(private readonly nats: JetStreamConnection) {}

  /** The roles of the namespace's streams (`requests`, `batches` …). */
  get roles(): StreamRoleName[] {
    return Object.keys(this.nats.topology.streams) as StreamRoleName[];
  }

  /** One stream's messages and durable consumers. Throws when NATS does not answer. */
  async of(role: StreamRoleName): Promise<StreamStatsOf> {
    const t = this.nats.topology;
    const info = await this.nats.jsm.streams.info(t.streams[role]);
    const consumers: ConsumerStats[] = [];
    for await (const consumer of this.nats.jsm.consumers.list(t.streams[role])) {
      if (!consumer.config.durable_name) continue;
      consumers.push({
        name: consumer.config.durable_name.slice(t.namespace.length + 1),
        pending: consumer.num_pending,
        ackPending: consumer.num_ack_pending,
        redelivered: consumer.num_redelivered,
        waiting: consumer.num_waiting,
      });
    }
    return { messages: info.state.messages, consumers };
  }
}
