import { Events, type EventName } from './event-catalog';

/** Who takes part in the flow of events: the five services, and the NATS server (its advisories). */
export const EVENT_PARTICIPANTS = ['gateway', 'splitter', 'sender', 'tracker', 'feedback', 'nats-server'] as const;
export type EventParticipant = (typeof EVENT_PARTICIPANTS)[number];

export interface EventRoute {
  /** Who publishes the event. */
  readonly publishers: readonly EventParticipant[];
  /** Who handles it as a consumer of its stream (an `@EventPattern` handler). */
  readonly consumers: readonly EventParticipant[];
  /** Who reads its messages directly, without a consumer. */
  readonly readers?: readonly EventParticipant[];
  /** What a reader should know that the lists do not say (read directly rather than consumed…). */
  readonly note?: string;
}

const RECIPIENT_NOTE =
  'per recipient, only with RECIPIENT_EVENTS on (stream `recipientEvents`, for other systems too); the tracker posts them in batches to newsletters sent with `recipientWebhooks`';

/**
 * Which participant publishes and which consumes each event: the service table of the README is
 * generated from it (tools/docs), and a test there checks it against the services' handlers
 * (`@EventPattern`: exactly the consumers) and publish calls (each one listed here). Typed by
 * EventName, so a new event cannot be left out.
 */
export const EventFlow: Readonly<Record<EventName, EventRoute>> = {
  [Events.NewsletterRequested]: {
    publishers: ['gateway', 'splitter'],
    consumers: ['splitter'],
    note: 'the splitter publishes it for a scheduled newsletter at its `sendAt`; the gateway re-publishes a re-driven dead letter',
  },
  [Events.NewsletterRetryRequested]: { publishers: ['gateway'], consumers: ['splitter'] },
  [Events.NewsletterResumeRequested]: { publishers: ['gateway'], consumers: ['splitter'] },
  [Events.BatchReady]: {
    publishers: ['splitter', 'tracker', 'gateway'],
    consumers: ['sender'],
    note: "the tracker's watchdog re-drives stranded or lost batches; the gateway re-drives a dead-lettered batch",
  },
  [Events.BatchParked]: {
    publishers: ['sender'],
    consumers: [],
    readers: ['splitter'],
    note: 'a batch of a paused newsletter; the splitter moves it back to `batch.ready` on resume',
  },
  [Events.NewsletterSplitStarted]: { publishers: ['splitter'], consumers: ['tracker'] },
  [Events.NewsletterSplit]: { publishers: ['splitter'], consumers: ['tracker'] },
  [Events.NewsletterSplitFailed]: { publishers: ['splitter'], consumers: ['tracker'] },
  [Events.NewsletterRoundStarted]: { publishers: ['splitter'], consumers: ['tracker'] },
  [Events.BatchCompleted]: { publishers: ['sender'], consumers: ['tracker'] },
  [Events.BatchProgressed]: { publishers: ['sender'], consumers: ['tracker'], note: 'every BATCH_PROGRESS_INTERVAL_MS while a batch is sent' },
  [Events.NewsletterProgressed]: { publishers: ['tracker'], consumers: ['tracker'], note: 'the tracker delivers it as a webhook' },
  [Events.NewsletterCancelled]: {
    publishers: ['gateway', 'tracker'],
    consumers: ['tracker'],
    note: 'the leading tracker publishes it for a newsletter paused longer than `PAUSE_LIMIT_MS`',
  },
  [Events.NewsletterCompleted]: { publishers: ['tracker'], consumers: ['tracker'], note: 'the tracker delivers it as a webhook' },
  [Events.FeedbackReceived]: {
    publishers: ['feedback'],
    consumers: ['feedback', 'tracker'],
    note: 'a bounce or complaint traced to its recipient; the feedback service suppresses the address, the tracker counts it per newsletter',
  },
  [Events.EngagementRecorded]: {
    publishers: ['gateway'],
    consumers: ['tracker'],
    note: 'an open pixel loaded or a tracked link followed, its token checked; the tracker counts unique opens and clicks and every click',
  },
  [Events.UnsubscribeRecorded]: {
    publishers: ['gateway'],
    consumers: ['tracker'],
    note: "a one-click unsubscribe that put the address on the suppression list; the tracker counts it in the newsletter's `unsubscribes`, each recipient once",
  },
  [Events.RecipientDelivered]: { publishers: ['sender'], consumers: ['tracker'], note: RECIPIENT_NOTE },
  [Events.RecipientFailed]: { publishers: ['sender'], consumers: ['tracker'], note: RECIPIENT_NOTE },
  [Events.RecipientBounced]: { publishers: ['feedback'], consumers: ['tracker'], note: RECIPIENT_NOTE },
  [Events.RecipientComplained]: { publishers: ['feedback'], consumers: ['tracker'], note: RECIPIENT_NOTE },
  [Events.RecipientOpened]: { publishers: ['gateway'], consumers: ['tracker'], note: RECIPIENT_NOTE },
  [Events.RecipientClicked]: { publishers: ['gateway'], consumers: ['tracker'], note: RECIPIENT_NOTE },
  [Events.RecipientUnsubscribed]: { publishers: ['gateway'], consumers: ['tracker'], note: RECIPIENT_NOTE },
  [Events.DeadLettered]: {
    publishers: ['splitter', 'sender', 'tracker', 'feedback'],
    consumers: ['tracker'],
    note: 'published by the JetStream transport of any consuming service; the gateway lists and re-drives them',
  },
  [Events.MaxDeliveriesReached]: { publishers: ['nats-server'], consumers: ['tracker'] },
};
