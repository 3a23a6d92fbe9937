import { BatchCompletedEvent } from './events/batch-completed.event';
import { BatchReadyEvent } from './events/batch-ready.event';
import { NewsletterCompletedEvent } from './events/newsletter-completed.event';
import { NewsletterRequestedEvent } from './events/newsletter-requested.event';
import {
  NewsletterSplitEvent,
  NewsletterSplitFailedEvent,
  NewsletterSplitStartedEvent,
} from './events/newsletter-split.event';
import type { Topology } from './topology';

/**
 * Logical event names. Handlers use these in `@EventPattern(...)`; the JetStream transport maps
 * them to the namespaced subjects below. Facts are past tense.
 */
export const Events = {
  NewsletterRequested: 'newsletter.requested',
  BatchReady: 'batch.ready',
  NewsletterSplitStarted: 'newsletter.split-started',
  NewsletterSplit: 'newsletter.split',
  NewsletterSplitFailed: 'newsletter.split-failed',
  BatchCompleted: 'batch.completed',
  NewsletterCompleted: 'newsletter.completed',
} as const;
export type EventName = (typeof Events)[keyof typeof Events];

/** Request/reply endpoints over core NATS (no stream: a query that times out is simply asked again). */
export const Queries = {
  NewsletterStatus: 'newsletter.status',
} as const;
export type QueryName = (typeof Queries)[keyof typeof Queries];

type StreamRole = keyof Topology['streams'];

interface EventSpec {
  /** Which stream stores it. */
  readonly stream: StreamRole;
  /** The payload class; the transport validates every message against it before a handler runs. */
  readonly payload: new () => object;
  /** Keyed events get one subject per newsletter (`<ns>.batch.ready.<newsletterId>`) so a newsletter's backlog can be purged on its own. */
  readonly keyed: boolean;
}

export const EventCatalog: Readonly<Record<EventName, EventSpec>> = {
  [Events.NewsletterRequested]: { stream: 'requests', payload: NewsletterRequestedEvent, keyed: false },
  [Events.BatchReady]: { stream: 'batches', payload: BatchReadyEvent, keyed: true },
  [Events.NewsletterSplitStarted]: { stream: 'events', payload: NewsletterSplitStartedEvent, keyed: false },
  [Events.NewsletterSplit]: { stream: 'events', payload: NewsletterSplitEvent, keyed: false },
  [Events.NewsletterSplitFailed]: { stream: 'events', payload: NewsletterSplitFailedEvent, keyed: false },
  [Events.BatchCompleted]: { stream: 'events', payload: BatchCompletedEvent, keyed: false },
  [Events.NewsletterCompleted]: { stream: 'events', payload: NewsletterCompletedEvent, keyed: false },
};

const EVENT_NAMES = Object.keys(EventCatalog) as EventName[];

/** The subject an event is published on. Keyed events need the key (the newsletter id). */
export function eventSubject(t: Topology, event: EventName, key?: string): string {
  const base = `${t.subjectPrefix}${event}`;
  if (!EventCatalog[event].keyed) return base;
  if (!key || /[\s.*>]/.test(key)) throw new Error(`Event ${event} needs a subject-safe key, got "${key}"`);
  return `${base}.${key}`;
}

/** The subject filter that matches every message of an event (all keys of a keyed event). */
export function eventFilter(t: Topology, event: EventName): string {
  const base = `${t.subjectPrefix}${event}`;
  return EventCatalog[event].keyed ? `${base}.*` : base;
}

/** Which event a received subject carries, or undefined for a subject that is not ours. */
export function eventOfSubject(t: Topology, subject: string): EventName | undefined {
  if (!subject.startsWith(t.subjectPrefix)) return undefined;
  const rest = subject.slice(t.subjectPrefix.length);
  for (const name of EVENT_NAMES) {
    if (rest === name && !EventCatalog[name].keyed) return name;
    if (EventCatalog[name].keyed && rest.startsWith(`${name}.`) && !rest.slice(name.length + 1).includes('.')) {
      return name;
    }
  }
  return undefined;
}

/** Subjects a stream must capture. */
export function streamSubjects(t: Topology, stream: StreamRole): string[] {
  return EVENT_NAMES.filter((name) => EventCatalog[name].stream === stream).map((name) => eventFilter(t, name));
}

export function querySubject(t: Topology, query: QueryName): string {
  return `${t.subjectPrefix}rpc.${query}`;
}
