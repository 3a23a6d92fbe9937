export { topology, assertNamespace, NAMESPACE_PATTERN, ContentObjects, type Topology } from './topology';
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
  type EventName,
  type QueryName,
  type StreamRole,
} from './event-catalog';
export { NewsletterEvent } from './events/event-base';
export { Recipient } from './events/recipient';
export { NewsletterRequestedEvent } from './events/newsletter-requested.event';
export { BatchReadyEvent } from './events/batch-ready.event';
export {
  NewsletterSplitStartedEvent,
  NewsletterSplitEvent,
  NewsletterSplitFailedEvent,
  InvalidRecipient,
} from './events/newsletter-split.event';
export { BatchCompletedEvent, RecipientFailure } from './events/batch-completed.event';
export { NewsletterCompletedEvent } from './events/newsletter-completed.event';
export {
  NEWSLETTER_STATUSES,
  FINAL_STATUSES,
  isFinal,
  type NewsletterStatus,
  type FinalStatus,
} from './newsletters/newsletter-status';
export type { NewsletterContent, SubmittedRecipient } from './newsletters/newsletter-content';
export type { NewsletterView, NewsletterStatusQuery, NewsletterStatusReply } from './newsletters/newsletter-view';
export { normalizeAddress, type AddressCheck } from './addresses/normalize-address';
export { IsMailboxAddress } from './addresses/is-mailbox-address.decorator';
export {
  newNewsletterRecord,
  toNewsletterView,
  openRound,
  nextRetryRound,
  type NewsletterRecord,
  type RoundState,
} from './newsletters/newsletter-record';
export {
  ledgerKey,
  ledgerBatchPrefix,
  addressHash,
  failureKey,
  SUPPRESSION_REASONS,
  type LedgerEntry,
  type FailureEntry,
  type SuppressionEntry,
  type SuppressionReason,
} from './newsletters/ledger-entry';
export { DeadLetterEvent, MaxDeliveriesAdvisory } from './events/dead-letter.event';
export {
  NewsletterRetryRequestedEvent,
  NewsletterRoundStartedEvent,
  ROUND_PATTERN,
} from './events/newsletter-round.event';
export { BatchBitset } from './newsletters/batch-bitset';
export { addSample, currentRate, RATE_WINDOW_MS, type ProgressSample } from './newsletters/progress';
export { NewsletterProgressedEvent } from './events/newsletter-progressed.event';
