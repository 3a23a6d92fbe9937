import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { CommonConfig } from '@mailroom/config';
import { TerminusModule } from '@nestjs/terminus';
import { NatsClient } from './connection/nats-client';
import { DeadLetterPublisher } from './dead-letters/dead-letter-publisher';
import { NatsHealthIndicator } from './health/nats.health-indicator';
import { describeMismatch } from './provisioning/ensure-stream';
import { provisionTopology, type Stores } from './provisioning/provision-topology';
import { EventPublisher } from './publishing/event-publisher';
import { QueryClient } from './publishing/query-client';
import { ContentStore } from './storage/content-store';
import { ListPartsStore } from './storage/list-parts-store';
import { BatchLeases } from './stores/batch-leases';
import { DeliveryLedger } from './stores/delivery-ledger';
import { FailureRecords } from './stores/failure-records';
import { Leadership } from './stores/leadership';
import { QueuedBatches } from './stores/queued-batches';
import { NewsletterControls } from './stores/newsletter-controls';
import { ParkedBatches } from './control/parked-batches';
import { STORES_TOKEN } from './stores/stores.token';

/** Injection token of the provisioned KV buckets and object store. */
export const STORES = STORES_TOKEN;

export interface JetStreamModuleOptions {
  /** The service this process is (`gateway`, `sender`…): names its NATS connection. */
  readonly service: string;
  /**
   * The service's config. Namespace, servers, replicas and the boot timeout all come from it, so
   * no service can provision with settings of its own (one once left out the replicas).
   */
  readonly config: Pick<CommonConfig, 'natsUrl' | 'namespace' | 'streamReplicas' | 'bootTimeoutMs'>;
}

/** Connects to NATS, provisions the namespace's streams and buckets, and provides their handles. */
@Module({})
export class JetStreamModule {
  static forRoot(options: JetStreamModuleOptions): DynamicModule {
    return {
      module: JetStreamModule,
      global: true,
      imports: [TerminusModule],
      providers: [
        {
          provide: NatsClient,
          useFactory: () =>
            NatsClient.connect({
              servers: options.config.natsUrl,
              namespace: options.config.namespace,
              name: `mailroom-${options.service}`,
              connectTimeoutMs: options.config.bootTimeoutMs,
            }),
        },
        {
          provide: STORES,
          inject: [NatsClient],
          useFactory: async (c: NatsClient): Promise<Stores> => {
            const logger = new Logger('Provisioning');
            const { stores, mismatches } = await provisionTopology(c.js, c.jsm, c.topology, {
              replicas: options.config.streamReplicas,
              budgetMs: options.config.bootTimeoutMs,
              onRetry: (error, attempt) => logger.warn(`JetStream not ready (${(error as Error).message}); retry ${attempt}`),
            });
            for (const mismatch of mismatches) logger.warn(describeMismatch(mismatch));
            return stores;
          },
        },
        { provide: EventPublisher, inject: [NatsClient], useFactory: (c: NatsClient) => new EventPublisher(c.js, c.topology) },
        { provide: QueryClient, inject: [NatsClient], useFactory: (c: NatsClient) => new QueryClient(c.connection, c.topology) },
        {
          provide: ContentStore,
          inject: [STORES, NatsClient],
          // Inline lists are read a chunk at a time too: the object store's own reader would buffer a whole list.
          useFactory: (s: Stores, c: NatsClient) => new ContentStore(s.content, { jsm: c.jsm, bucket: c.topology.objectStores.content }),
        },
        {
          provide: ListPartsStore,
          inject: [STORES, NatsClient],
          useFactory: (s: Stores, c: NatsClient) => new ListPartsStore(s.listParts, { jsm: c.jsm, bucket: c.topology.objectStores.listParts }),
        },
        {
          provide: DeadLetterPublisher,
          inject: [NatsClient],
          useFactory: (c: NatsClient) => new DeadLetterPublisher(c.js, c.jsm, c.topology),
        },
        NatsHealthIndicator,
        DeliveryLedger,
        FailureRecords,
        BatchLeases,
        NewsletterControls,
        ParkedBatches,
        Leadership,
        QueuedBatches,
      ],
      exports: [
        BatchLeases,
        NewsletterControls,
        ParkedBatches,
        NatsClient,
        STORES,
        EventPublisher,
        QueryClient,
        ContentStore,
        ListPartsStore,
        DeadLetterPublisher,
        NatsHealthIndicator,
        DeliveryLedger,
        FailureRecords,
        Leadership,
        QueuedBatches,
      ],
    };
  }
}
