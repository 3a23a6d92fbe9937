export { topology, ContentObjects, type Topology } from './topology';
export {
  Events,
  Queries,
  EventCatalog,
  eventSubject,
  eventFilter,
  eventOfSubject,
  streamSubjects,
  streamRoleOf,
  querySubject,
  recipientEventsFilter,
  RECIPIENT_EVENT_NAMES,
  type RecipientEventName,
  type EventName,
  type EventPayload,
  type PublishedEventName,
  type QueryName,
  type QueryRequest,
  type QueryReply,
} from './event-catalog';
export { EventFlow, EVENT_PARTICIPANTS, type EventParticipant, type EventRoute } from './event-flow';
export type { Recipient } from './events/recipient';
export { RECIPIENT_NAME_MAX_LENGTH } from './events/recipient';
export { RECIPIENT_VARS_LIMITS, IsRecipientVars, checkRecipientVars, checkVarName } from './events/recipient-vars';
export { NewsletterRequestedEvent, MAX_LIST_PARTS } from './events/newsletter-requested.event';
export { BatchReadyEvent } from './events/batch-ready.event';
export {
  NewsletterSplitStartedEvent,
  NewsletterSplitEvent,
  NewsletterSplitFailedEvent,
  InvalidRecipient,
} from './events/newsletter-split.event';
export { BatchCompletedEvent } from './events/batch-completed.event';
export { BatchProgressedEvent } from './events/batch-progressed.event';
export { NewsletterCompletedEvent } from './events/newsletter-completed.event';
export {
  FeedbackReceivedEvent,
  FEEDBACK_KINDS,
  FEEDBACK_SOURCES,
  BOUNCE_TYPES,
  type FeedbackKind,
  type FeedbackSource,
  type BounceType,
} from './events/feedback-received.event';
export { NEWSLETTER_STATUSES, FINAL_STATUSES, CANCEL_REASONS, isFinal, type NewsletterStatus, type FinalStatus, type CancelReason } from './newsletters/newsletter-status';
export type { NewsletterContent, NewsletterTracking, SubmittedRecipient } from './newsletters/newsletter-content';
export {
  RecipientEvent,
  RECIPIENT_EVENT_KINDS,
  RECIPIENT_EVENTS_DUPLICATE_WINDOW_MS,
  recipientEventId,
  type RecipientEventKind,
} from './events/recipient-event';
export { EngagementRecordedEvent, ENGAGEMENT_KINDS, type EngagementKind } from './events/engagement-recorded.event';
export { UnsubscribeRecordedEvent } from './events/unsubscribe-recorded.event';
export { TrackingTokens, MAX_TRACKED_URL_LENGTH, type TrackingClaim } from './engagement/tracking-tokens';
export { TRACKING_ROUTES, clickUrl, openPixelUrl } from './engagement/tracking-link';
export { ViewTokens, type ViewClaim } from './engagement/view-tokens';
export { VIEW_ROUTE, viewUrl } from './engagement/view-link';
export { CUSTOM_HEADER_LIMITS, checkCustomHeaders, IsCustomHeaders } from './newsletters/custom-headers';
export { NewsletterView, type NewsletterStatusQuery, type NewsletterStatusReply } from './newsletters/newsletter-view';
export { normalizeAddress } from './addresses/normalize-address';
export { AddressKeySet } from './addresses/address-key-set';
export { mailboxKey, suppressionKey } from './addresses/mailbox-key';
export { IsMailboxAddress } from './addresses/is-mailbox-address.decorator';
export {
  newNewsletterRecord,
  toNewsletterView,
  openRound,
  nextRetryRound,
  inFlightCounts,
  LINK_COUNT_LIMITS,
  pausedForMs,
  type BatchPartial,
  type LinkClicks,
  type LinkTally,
  type NewsletterRecord,
  type RoundState,
} from './newsletters/newsletter-record';
export {
  ledgerKey,
  ledgerBatchPrefix,
  ledgerOpenedKey,
  isLedgerEntryKey,
  ledgerLinkKey,
  ledgerUnsubscribeKey,
  addressHash,
  failureKey,
  SUPPRESSION_REASONS,
  type LedgerEntry,
  type FailureEntry,
  type SuppressionEntry,
  type SuppressionReason,
} from './newsletters/ledger-entry';
export { DeadLetterEvent, MaxDeliveriesAdvisory } from './events/dead-letter.event';
export { NewsletterRetryRequestedEvent, NewsletterRoundStartedEvent } from './events/newsletter-round.event';
export { BatchBitset } from './newsletters/batch-bitset';
export { batchLeaseKey, leaderLeaseKey } from './leases/lease-keys';
export { RecipientBatcher, MAX_BATCH_RECIPIENT_BYTES } from './splitting/recipient-batcher';
export { batchWindowsSubject, parseBatchWindowsSignal, senderPartOfWindow, type BatchWindowsSignal } from './splitting/batch-windows';
export { addSample } from './newsletters/progress';
export { NewsletterProgressedEvent } from './events/newsletter-progressed.event';
export { NewsletterResumeRequestedEvent, NewsletterCancelledEvent } from './events/newsletter-control.event';
export type { NewsletterControl, ScheduleEntry } from './newsletters/newsletter-control';
export { compileMergeTemplate, TemplateError, type MergeTemplate, type MergeScope } from './templates/merge-template';
export { mergeScope, mentionsViewUrl } from './templates/merge-scope';
export { IsMergeTemplate } from './templates/is-merge-template.decorator';
export { UnsubscribeTokens, type UnsubscribeClaim } from './unsubscribe/unsubscribe-tokens';
export {
  resolveUnsubscribeSecret,
  productionRequirement,
  DEVELOPMENT_UNSUBSCRIBE_SECRET,
  DEVELOPMENT_SECRET_WARNING,
} from './unsubscribe/unsubscribe-secret';
export { UNSUBSCRIBE_ROUTE, unsubscribeUrl } from './unsubscribe/unsubscribe-link';
export {
  FeedbackTokens,
  type FeedbackClaim,
  bounceAddress,
  feedbackTokenOf,
  ADDRESS_HASH_PREFIX_LENGTH,
  BOUNCE_SECRET_MIN_LENGTH,
  FEEDBACK_TOKEN_LENGTH,
} from './feedback/feedback-tokens';
export { resolveBounceSecret, DEVELOPMENT_BOUNCE_SECRET, parseBounceDomain, isReservedDomain, bounceSecretRequirement } from './feedback/bounce-secret';
export { DEFAULT_TENANT, TENANT_NAME, MAX_TENANT_NAME_LENGTH, isTenantName, tenantOf } from './tenants/tenant';
export { csvFields, type CsvFields } from './lists/csv-fields';
export {
  checkSubscriber,
  rejectRow,
  subscriberColumns,
  subscriberFromFields,
  isBlankCsvLine,
  MAX_NAME_CHARS,
  type Subscriber,
  type RowResult,
  type SubscriberColumns,
} from './lists/subscriber-rows';
export { PRIORITIES, DEFAULT_PRIORITY, PRIORITY_WEIGHTS, SEND_LANES, type Priority, type SendLane } from './newsletters/priority';
