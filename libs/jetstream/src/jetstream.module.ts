import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { CommonConfig } from '@mailroom/config';
import { TerminusModule } from '@nestjs/terminus';
import { JetStreamConnection } from './connection/jetstream-connection';
import { NatsClient } from './connection/nats-client';
import { DeadLetterPublisher } from './dead-letters/dead-letter-publisher';
import { DeadLetters } from './dead-letters/dead-letters';
import { NatsHealthIndicator } from './health/nats.health-indicator';
import { StreamStats } from './health/stream-stats';
import { ListRecords } from './lists/list-records';
import { NewsletterRecords } from './newsletters/newsletter-records';
import { describeMismatch } from './provisioning/ensure-stream';
import { provisionTopology, type Stores } from './provisioning/provision-topology';
import { EventPublisher } from './publishing/event-publisher';
import { QueryClient } from './publishing/query-client';
import { RecipientEventPublisher } from './publishing/recipient-event-publisher';
import { ContentStore } from './storage/content-store';
import { ListPartsStore } from './storage/list-parts-store';
import type { ObjectWrites } from './storage/object-writer';
import { BatchLeases } from './stores/batch-leases';
import { SenderSlots } from './stores/sender-slots';
import { BatchWindowSignals } from './publishing/batch-window-signals';
import { DeliveryLedger } from './stores/delivery-ledger';
import { FailureRecords } from './stores/failure-records';
import { IdempotencyKeys } from './stores/idempotency-keys';
import { Leadership } from './stores/leadership';
import { NewsletterControls } from './stores/newsletter-controls';
import { ParkedBatches } from './stores/parked-batches';
import { QueuedBatches } from './stores/queued-batches';
import { RateLimitBuckets } from './stores/rate-limit-buckets';
import { Schedules } from './stores/schedules';
import { STORES_TOKEN } from './stores/stores.token';
import { SuppressionRecords } from './stores/suppressions';
import { SoftBounceRecords } from './stores/soft-bounce-records';
import { WebhookDeliveries } from './stores/webhook-deliveries';

export interface JetStreamModuleOptions {
  /** The service this process is (`gateway`, `sender`…): names its NATS connection. */
  readonly service: string;
  /**
   * The service's config. Namespace, servers, replicas and the boot timeout all come from it, so
   * no service can provision with settings of its own (one once left out the replicas).
   */
  readonly config: Pick<CommonConfig, 'natsUrl' | 'namespace' | 'streamReplicas' | 'bootTimeoutMs'> & Partial<Pick<CommonConfig, 'recipientEvents'>>;
}

/**
 * One repository per bucket and stream: the only code that knows its keys and encoding. Light to
 * construct (nothing is read until asked), so every service gets all of them. SuppressionList,
 * which loads the whole list at init, is added by the services that check recipients.
 */
const REPOSITORIES = [
  NewsletterRecords,
  NewsletterControls,
  Schedules,
  DeliveryLedger,
  FailureRecords,
  SuppressionRecords,
  SoftBounceRecords,
  IdempotencyKeys,
  BatchLeases,
  SenderSlots,
  BatchWindowSignals,
  Leadership,
  RateLimitBuckets,
  WebhookDeliveries,
  ListRecords,
  QueuedBatches,
  ParkedBatches,
  DeadLetters,
  StreamStats,
];

/**
 * Connects to NATS, provisions the namespace's streams and buckets, and provides the repositories
 * over them. The raw handles (the connection, its JetStream clients, the buckets) stay inside this
 * library: services get the repositories, the publisher, the query client, and `NatsClient` (the
 * connection's state).
 */
@Module({})
export class JetStreamModule {
  static forRoot(options: JetStreamModuleOptions): DynamicModule {
    return {
      module: JetStreamModule,
      global: true,
      imports: [TerminusModule],
      providers: [
        {
          provide: JetStreamConnection,
          useFactory: () =>
            JetStreamConnection.connect({
              servers: options.config.natsUrl,
              namespace: options.config.namespace,
              name: `mailroom-${options.service}`,
              connectTimeoutMs: options.config.bootTimeoutMs,
            }),
        },
        { provide: NatsClient, useExisting: JetStreamConnection },
        {
          provide: STORES_TOKEN,
          inject: [JetStreamConnection],
          useFactory: async (c: JetStreamConnection): Promise<Stores> => {
            const logger = new Logger('Provisioning');
            const { stores, mismatches, moved } = await provisionTopology(c.js, c.jsm, c.topology, {
              replicas: options.config.streamReplicas,
              budgetMs: options.config.bootTimeoutMs,
              ...(options.config.recipientEvents ? { recipientEvents: options.config.recipientEvents } : {}),
              onRetry: (error, attempt) => logger.warn(`JetStream not ready (${(error as Error).message}); retry ${attempt}`),
            });
            for (const mismatch of mismatches) logger.warn(describeMismatch(mismatch));
            for (const move of moved) {
              logger.log(`Stream ${move.stream}: ${move.setting} ${move.from} changed to ${move.to} (entries are now removed by the tracker's retention cleaner)`);
            }
            return stores;
          },
        },
        {
          provide: EventPublisher,
          inject: [JetStreamConnection],
          useFactory: (c: JetStreamConnection) => new EventPublisher(c.js, c.topology),
        },
        {
          provide: RecipientEventPublisher,
          inject: [EventPublisher],
          useFactory: (publisher: EventPublisher) => new RecipientEventPublisher(publisher, options.config.recipientEvents?.enabled ?? false),
        },
        {
          provide: QueryClient,
          inject: [JetStreamConnection],
          useFactory: (c: JetStreamConnection) => new QueryClient(c.connection, c.topology),
        },
        {
          provide: ContentStore,
          inject: [STORES_TOKEN, JetStreamConnection],
          // Read and written a chunk at a time by our own code: the object store's own reader would buffer a whole list.
          useFactory: (s: Stores, c: JetStreamConnection) => new ContentStore(s.content, objectWrites(c, c.topology.objectStores.content)),
        },
        {
          provide: ListPartsStore,
          inject: [STORES_TOKEN, JetStreamConnection],
          useFactory: (s: Stores, c: JetStreamConnection) => new ListPartsStore(s.listParts, objectWrites(c, c.topology.objectStores.listParts)),
        },
        {
          provide: DeadLetterPublisher,
          inject: [JetStreamConnection],
          useFactory: (c: JetStreamConnection) => new DeadLetterPublisher(c.js, c.jsm, c.topology),
        },
        NatsHealthIndicator,
        ...REPOSITORIES,
      ],
      exports: [
        // Inside this library (the transport, SuppressionList in a service's module) and for nothing else.
        JetStreamConnection,
        STORES_TOKEN,
        NatsClient,
        EventPublisher,
        RecipientEventPublisher,
        QueryClient,
        ContentStore,
        ListPartsStore,
        DeadLetterPublisher,
        NatsHealthIndicator,
        ...REPOSITORIES,
      ],
    };
  }
}

/** How the content and list-parts stores reach their bucket's stream (see ContentStore). */
function objectWrites(connection: JetStreamConnection, bucket: string): ObjectWrites {
  const { js, jsm } = connection;
  const maxPayload = connection.connection.info?.max_payload;
  return { js, jsm, bucket, ...(maxPayload !== undefined ? { maxPayload } : {}) };
}
