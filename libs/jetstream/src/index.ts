// The public API of @mailroom/jetstream. Services get one repository per bucket and stream (each
// the only code that knows its keys and encoding), the publisher, the query client, the transport
// and the connection's state. The raw handles (the connection's JetStream clients, the buckets,
// compare-and-set, stream paging, live KV maps) stay inside; lint keeps services off what
// remains here for this library's own tests (provisioning).
export { JetStreamModule, type JetStreamModuleOptions } from './jetstream.module';
export { NatsClient } from './connection/nats-client';
export type { NatsClientOptions } from './connection/jetstream-connection';
// For the bench's A/B (the connection applies it itself; lint keeps services off it).
export { makeAnsweredRequestCancelCheap } from './connection/answered-request-cancel';
export { NatsHealthIndicator } from './health/nats.health-indicator';
export { StreamStats, type StreamStatsOf, type ConsumerStats, type StreamRoleName } from './health/stream-stats';
// Provisioning is for the library's own tests (lint keeps it out of services).
export { provisionTopology, type ProvisioningMove, type ProvisioningOptions, type Stores } from './provisioning/provision-topology';
export type { ProvisioningMismatch } from './provisioning/ensure-stream';
export { EventPublisher, type PublishOptions } from './publishing/event-publisher';
export { RecipientEventPublisher } from './publishing/recipient-event-publisher';
export { QueryClient, QueryUnavailableError, QueryFailedError } from './publishing/query-client';
export { RetryableError, PermanentError } from './transport/handler-errors';
export { backoffDelayMs, type RetryPolicy } from './transport/retry-policy';
export { JetStreamContext } from './transport/jetstream.context';
export { HandlesEvent, AnswersQuery } from './transport/handler-decorators';
export type { ConsumerBinding, MessageGate } from './transport/jetstream.server';
export { connectJetStreamTransport } from './transport/connect-transport';
export type { Page } from './storage/stream-pager';
export type { LiveView } from './storage/live-kv-map';
export type { RecordChange } from './storage/cas-update';

// Repositories: newsletters (records and their status machine, pause/cancel controls, schedules)
export {
  NewsletterRecords,
  settledBefore,
  type NewsletterChange,
  type OpenedRound,
  type RedriveReopening,
} from './newsletters/newsletter-records';
export {
  NEWSLETTER_TRANSITIONS,
  isAllowedMove,
  canTransition,
  RefusedTransitionError,
  type NewsletterTransition,
  type NewsletterTransitionName,
} from './newsletters/newsletter-status-machine';
export type { BatchCounts } from './newsletters/newsletter-fold';
export { NewsletterControls } from './stores/newsletter-controls';
export { Schedules } from './stores/schedules';
// … deliveries (ledger, failures, suppressions, rate limits, leases, webhooks)
export { DeliveryLedger } from './stores/delivery-ledger';
export { SoftBounceRecords } from './stores/soft-bounce-records';
export { FailureRecords } from './stores/failure-records';
export {
  SuppressionList,
  SuppressionRecords,
  GLOBAL_SUPPRESSIONS,
  tenantSuppressions,
  suppressionKey,
  suppressionScopesFor,
  type SuppressionChange,
  type SuppressionScope,
} from './stores/suppressions';
export { RateLimitBuckets } from './stores/rate-limit-buckets';
export { BatchLeases, BatchLease, type BatchRef } from './stores/batch-leases';
export { SenderSlots, SLOT_ANNOUNCE_INTERVAL_MS } from './stores/sender-slots';
export { BatchWindowSignals } from './publishing/batch-window-signals';
export { Leadership, LeaderElection, type LeaderElectionOptions } from './stores/leadership';
export { WebhookDeliveries, type WebhookDelivery, type WebhookAttempt } from './stores/webhook-deliveries';
// … requests (idempotency keys), content, subscriber lists
export { IdempotencyKeys, type IdempotencyClaim } from './stores/idempotency-keys';
export { ContentStore } from './storage/content-store';
export { ListPartsStore } from './storage/list-parts-store';
export { openRecipientSource, type RecipientSource } from './stores/recipient-source';
export { readNewsletterList, findListRecipient, type NewsletterList, type NewsletterListOptions } from './stores/newsletter-list';
export { ListRecords, type GuardedChange } from './lists/list-records';
export {
  listPartObject,
  rewrittenPartObject,
  partsOf,
  sendsOf,
  type ListRecord,
  type ListImportEntry,
  type ListImportFormat,
  type ListSend,
  type PartRewrite,
  type Refusal,
} from './lists/list-record';
// … streams (queued and parked batches, dead letters)
export { QueuedBatches, type QueuedBatch, type NewsletterQueue } from './stores/queued-batches';
export { ParkedBatches } from './stores/parked-batches';
export { DeadLetterPublisher } from './dead-letters/dead-letter-publisher';
export { DeadLetters, type StoredDeadLetter } from './dead-letters/dead-letters';
