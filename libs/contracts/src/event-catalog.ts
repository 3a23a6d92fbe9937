import { BatchCompletedEvent } from './events/batch-completed.event';
import { EngagementRecordedEvent } from './events/engagement-recorded.event';
import { UnsubscribeRecordedEvent } from './events/unsubscribe-recorded.event';
import { BatchProgressedEvent } from './events/batch-progressed.event';
import { BatchReadyEvent } from './events/batch-ready.event';
import { DeadLetterEvent, MaxDeliveriesAdvisory } from './events/dead-letter.event';
import { FeedbackReceivedEvent } from './events/feedback-received.event';
import { NewsletterCompletedEvent } from './events/newsletter-completed.event';
import { NewsletterCancelledEvent, NewsletterResumeRequestedEvent } from './events/newsletter-control.event';
import { NewsletterProgressedEvent } from './events/newsletter-progressed.event';
import { NewsletterRequestedEvent } from './events/newsletter-requested.event';
import { RecipientEvent, type RecipientEventKind } from './events/recipient-event';
import { NewsletterRetryRequestedEvent, NewsletterRoundStartedEvent } from './events/newsletter-round.event';
import {
  NewsletterSplitEvent,
  NewsletterSplitFailedEvent,
  NewsletterSplitStartedEvent,
} from './events/newsletter-split.event';
import type { NewsletterStatusQuery, NewsletterStatusReply } from './newsletters/newsletter-view';
import type { Topology } from './topology';

/**
 * Logical event names. Handlers use these in `@HandlesEvent(...)`; the JetStream transport maps
 * them to the namespaced subjects below. Facts are past tense.
 */
export const Events = {
  NewsletterRequested: 'newsletter.requested',
  NewsletterRetryRequested: 'newsletter.retry-requested',
  NewsletterResumeRequested: 'newsletter.resume-requested',
  BatchReady: 'batch.ready',
  /** A batch of a paused newsletter, set aside until the newsletter is resumed. */
  BatchParked: 'batch.parked',
  NewsletterSplitStarted: 'newsletter.split-started',
  NewsletterSplit: 'newsletter.split',
  NewsletterSplitFailed: 'newsletter.split-failed',
  NewsletterRoundStarted: 'newsletter.round-started',
  BatchCompleted: 'batch.completed',
  /** A batch in a sender's hands: how many of its recipients are settled so far. */
  BatchProgressed: 'batch.progressed',
  NewsletterProgressed: 'newsletter.progressed',
  NewsletterCancelled: 'newsletter.cancelled',
  NewsletterCompleted: 'newsletter.completed',
  /** A recipient bounced after acceptance, or complained (from the feedback service). */
  FeedbackReceived: 'feedback.received',
  /** A recipient opened a tracked newsletter or followed one of its tracked links (from the gateway). */
  EngagementRecorded: 'engagement.recorded',
  /** A recipient's address went on the suppression list through a newsletter's unsubscribe link (from the gateway). */
  UnsubscribeRecorded: 'unsubscribe.recorded',
  /**
   * What happened to one recipient (stream `recipientEvents`, keyed by newsletter id; published
   * only with RECIPIENT_EVENTS on): accepted by the provider, failed for good, bounced after
   * acceptance, complained, opened, clicked, unsubscribed. See docs/events.md.
   */
  RecipientDelivered: 'recipient.delivered',
  RecipientFailed: 'recipient.failed',
  RecipientBounced: 'recipient.bounced',
  RecipientComplained: 'recipient.complained',
  RecipientOpened: 'recipient.opened',
  RecipientClicked: 'recipient.clicked',
  RecipientUnsubscribed: 'recipient.unsubscribed',
  /** A message of one of our streams that could not be processed (keyed by the stream's role). */
  DeadLettered: 'dead-letter',
  /** JetStream's own advisory: a work-queue message reached its consumer's max deliveries. */
  MaxDeliveriesReached: 'advisory.max-deliveries',
} as const;
export type EventName = (typeof Events)[keyof typeof Events];

/** Request/reply endpoints over core NATS (no stream: a query that times out is simply asked again). */
export const Queries = {
  NewsletterStatus: 'newsletter.status',
} as const;
export type QueryName = (typeof Queries)[keyof typeof Queries];

/** What each query is asked with and answers: QueryClient.ask and `@AnswersQuery` handlers are checked against it. */
interface QueryContracts {
  [Queries.NewsletterStatus]: { request: NewsletterStatusQuery; reply: NewsletterStatusReply };
}
export type QueryRequest<Q extends QueryName> = QueryContracts[Q]['request'];
export type QueryReply<Q extends QueryName> = QueryContracts[Q]['reply'];

type StreamRole = keyof Topology['streams'];

interface EventSpec<P extends object = object> {
  /** Which stream stores it. */
  readonly stream: StreamRole;
  /** The payload class; the transport validates every message against it before a handler runs. */
  readonly payload: new () => P;
  /** The subject a message is published on (`key`: the newsletter id of keyed events). */
  subject(t: Topology, key?: string): string;
  /** The subject filter that matches every message of the event. */
  filter(t: Topology): string;
  matches(t: Topology, subject: string): boolean;
}

/** `<ns>.<event>`, or `<ns>.<event>.<key>` for keyed events (one subject per newsletter, so a newsletter's backlog can be purged on its own). */
function namespaced<P extends object>(event: string, stream: StreamRole, payload: new () => P, keyed = false): EventSpec<P> {
  return {
    stream,
    payload,
    subject(t, key) {
      const base = `${t.subjectPrefix}${event}`;
      if (!keyed) return base;
      if (!key || /[\s.*>]/.test(key)) throw new Error(`Event ${event} needs a subject-safe key, got "${key}"`);
      return `${base}.${key}`;
    },
    filter: (t) => (keyed ? `${t.subjectPrefix}${event}.*` : `${t.subjectPrefix}${event}`),
    matches(t, subject) {
      const base = `${t.subjectPrefix}${event}`;
      if (!keyed) return subject === base;
      return subject.startsWith(`${base}.`) && !subject.slice(base.length + 1).includes('.');
    },
  };
}

const ADVISORY_PREFIX = '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.';
const WORK_QUEUES: readonly StreamRole[] = ['requests', 'batches'];

/** Max-deliveries advisories of our work-queue streams (`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>`). */
const maxDeliveries: EventSpec<MaxDeliveriesAdvisory> = {
  stream: 'advisories',
  payload: MaxDeliveriesAdvisory,
  subject: () => {
    throw new Error('Advisories are published by the NATS server, not by us');
  },
  filter: (t) => `${ADVISORY_PREFIX}${t.namespace}-*.*`,
  matches: (t, subject) =>
    WORK_QUEUES.some((role) => subject.startsWith(`${ADVISORY_PREFIX}${t.streams[role]}.`)),
};

/** Each event's stream, subjects and payload class: the one place an event is defined. */
export const EventCatalog = {
  [Events.NewsletterRequested]: namespaced(Events.NewsletterRequested, 'requests', NewsletterRequestedEvent),
  [Events.NewsletterRetryRequested]: namespaced(Events.NewsletterRetryRequested, 'requests', NewsletterRetryRequestedEvent),
  [Events.NewsletterResumeRequested]: namespaced(Events.NewsletterResumeRequested, 'requests', NewsletterResumeRequestedEvent),
  [Events.BatchReady]: namespaced(Events.BatchReady, 'batches', BatchReadyEvent, true),
  [Events.BatchParked]: namespaced(Events.BatchParked, 'parked', BatchReadyEvent, true),
  [Events.NewsletterSplitStarted]: namespaced(Events.NewsletterSplitStarted, 'events', NewsletterSplitStartedEvent),
  [Events.NewsletterSplit]: namespaced(Events.NewsletterSplit, 'events', NewsletterSplitEvent),
  [Events.NewsletterSplitFailed]: namespaced(Events.NewsletterSplitFailed, 'events', NewsletterSplitFailedEvent),
  [Events.NewsletterRoundStarted]: namespaced(Events.NewsletterRoundStarted, 'events', NewsletterRoundStartedEvent),
  [Events.BatchCompleted]: namespaced(Events.BatchCompleted, 'events', BatchCompletedEvent),
  [Events.BatchProgressed]: namespaced(Events.BatchProgressed, 'events', BatchProgressedEvent),
  [Events.NewsletterProgressed]: namespaced(Events.NewsletterProgressed, 'events', NewsletterProgressedEvent),
  [Events.NewsletterCancelled]: namespaced(Events.NewsletterCancelled, 'events', NewsletterCancelledEvent),
  [Events.NewsletterCompleted]: namespaced(Events.NewsletterCompleted, 'events', NewsletterCompletedEvent),
  [Events.FeedbackReceived]: namespaced(Events.FeedbackReceived, 'events', FeedbackReceivedEvent),
  [Events.EngagementRecorded]: namespaced(Events.EngagementRecorded, 'events', EngagementRecordedEvent),
  [Events.UnsubscribeRecorded]: namespaced(Events.UnsubscribeRecorded, 'events', UnsubscribeRecordedEvent),
  [Events.RecipientDelivered]: namespaced(Events.RecipientDelivered, 'recipientEvents', RecipientEvent, true),
  [Events.RecipientFailed]: namespaced(Events.RecipientFailed, 'recipientEvents', RecipientEvent, true),
  [Events.RecipientBounced]: namespaced(Events.RecipientBounced, 'recipientEvents', RecipientEvent, true),
  [Events.RecipientComplained]: namespaced(Events.RecipientComplained, 'recipientEvents', RecipientEvent, true),
  [Events.RecipientOpened]: namespaced(Events.RecipientOpened, 'recipientEvents', RecipientEvent, true),
  [Events.RecipientClicked]: namespaced(Events.RecipientClicked, 'recipientEvents', RecipientEvent, true),
  [Events.RecipientUnsubscribed]: namespaced(Events.RecipientUnsubscribed, 'recipientEvents', RecipientEvent, true),
  [Events.DeadLettered]: namespaced(Events.DeadLettered, 'deadLetters', DeadLetterEvent, true),
  [Events.MaxDeliveriesReached]: maxDeliveries,
} as const satisfies Readonly<Record<EventName, EventSpec>>;

/**
 * The payload of an event, from its class in the catalog: `EventPublisher.publish` and
 * `@HandlesEvent` handlers are checked against it at compile time. Payloads are compared by
 * shape, so two events whose classes have the same fields accept each other's payload.
 */
export type EventPayload<E extends EventName> = (typeof EventCatalog)[E] extends EventSpec<infer P> ? P : never;

/** Events we publish ourselves (not the NATS server's advisories). */
export type PublishedEventName = Exclude<EventName, typeof Events.MaxDeliveriesReached>;

const EVENT_NAMES = Object.keys(EventCatalog) as EventName[];

/** The event of each kind of recipient event. */
export const RECIPIENT_EVENT_NAMES = {
  delivered: Events.RecipientDelivered,
  failed: Events.RecipientFailed,
  bounced: Events.RecipientBounced,
  complained: Events.RecipientComplained,
  opened: Events.RecipientOpened,
  clicked: Events.RecipientClicked,
  unsubscribed: Events.RecipientUnsubscribed,
} as const satisfies Readonly<Record<RecipientEventKind, EventName>>;
export type RecipientEventName = (typeof RECIPIENT_EVENT_NAMES)[RecipientEventKind];

/**
 * The one filter subject that matches every recipient event of every newsletter
 * (`<ns>.recipient.>`): what a consumer of all of them binds with (nats-server 2.9 takes one
 * filter subject per consumer). `<ns>.recipient.<kind>.*` is one kind, `<ns>.recipient.*.<id>` one newsletter.
 */
export function recipientEventsFilter(t: Topology): string {
  return `${t.subjectPrefix}recipient.>`;
}

/** The subject an event is published on. Keyed events need the key (the newsletter id, or the stream role of a dead letter). */
export function eventSubject(t: Topology, event: EventName, key?: string): string {
  return EventCatalog[event].subject(t, key);
}

/** The subject filter that matches every message of an event (all keys of a keyed event). */
export function eventFilter(t: Topology, event: EventName): string {
  return EventCatalog[event].filter(t);
}

/** Which event a received subject carries, or undefined for a subject that is not ours. */
export function eventOfSubject(t: Topology, subject: string): EventName | undefined {
  return EVENT_NAMES.find((name) => EventCatalog[name].matches(t, subject));
}

/** Subjects a stream must capture. */
export function streamSubjects(t: Topology, stream: StreamRole): string[] {
  if (stream === 'advisories') {
    return WORK_QUEUES.map((role) => `${ADVISORY_PREFIX}${t.streams[role]}.*`);
  }
  return EVENT_NAMES.filter((name) => EventCatalog[name].stream === stream).map((name) => eventFilter(t, name));
}

/** The stream role a stream name belongs to, in this namespace. */
export function streamRoleOf(t: Topology, streamName: string): StreamRole | undefined {
  return (Object.keys(t.streams) as StreamRole[]).find((role) => t.streams[role] === streamName);
}

export function querySubject(t: Topology, query: QueryName): string {
  return `${t.subjectPrefix}rpc.${query}`;
}
