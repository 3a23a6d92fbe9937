export { JetStreamModule, STORES, type JetStreamModuleOptions } from './jetstream.module';
export { NatsClient, type NatsClientOptions } from './connection/nats-client';
export { NatsHealthIndicator } from './health/nats.health-indicator';
export {
  provisionTopology,
  IDEMPOTENCY_TTL_MS,
  type ProvisioningOptions,
  type Provisioned,
  type Stores,
} from './provisioning/provision-topology';
export { ensureStream, describeMismatch, type ProvisioningMismatch } from './provisioning/ensure-stream';
export { ensureDurableConsumer, type DurableConsumerSpec } from './provisioning/ensure-consumer';
export { isTransientNatsError } from './resilience/transient-errors';
export { retryTransient, type RetryTransientOptions } from './resilience/retry-transient';
export { EventPublisher, type PublishOptions } from './publishing/event-publisher';
export { QueryClient, QueryUnavailableError, QueryFailedError } from './publishing/query-client';
export { ContentStore } from './storage/content-store';
export { ListPartsStore } from './storage/list-parts-store';
export { openRecipientSource, type RecipientSource } from './stores/recipient-source';
export { RetryableError, PermanentError, InvalidPayloadError } from './transport/handler-errors';
export { settleFailure, backoffDelayMs, type RetryPolicy, type Settlement } from './transport/retry-policy';
export { JetStreamContext } from './transport/jetstream.context';
export { HandlesEvent, AnswersQuery } from './transport/handler-decorators';
export {
  JetStreamServer,
  JetStreamQueryContext,
  type ConsumerBinding,
  type JetStreamServerOptions,
  type SettledMessage,
} from './transport/jetstream.server';
export { connectJetStreamTransport } from './transport/connect-transport';
export { decodePayload } from './transport/decode-payload';
export type { KV, KvEntry } from '@nats-io/kv';
export type { JsMsg } from '@nats-io/jetstream';
export { DeadLetterPublisher } from './dead-letters/dead-letter-publisher';
export { LiveKeySet } from './storage/live-key-set';
export { casUpdate, type CasResult } from './storage/cas-update';
export { pageStream, type Page, type PageRequest, type PagedMessage } from './storage/stream-pager';
export { DeliveryLedger } from './stores/delivery-ledger';
export { FailureRecords } from './stores/failure-records';
export { SuppressionList } from './stores/suppression-list';
export { retryWrite } from './stores/retry-write';
export { BatchLeases, BatchLease } from './stores/batch-leases';
export { Leadership, LeaderElection, type LeaderElectionOptions } from './stores/leadership';
export { QueuedBatches, type QueuedBatch, type NewsletterQueue } from './stores/queued-batches';
export { LiveKvMap } from './storage/live-kv-map';
export { NewsletterControls } from './stores/newsletter-controls';
export { ParkedBatches } from './control/parked-batches';
