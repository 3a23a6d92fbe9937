import {
  Events,
  RECIPIENT_EVENT_NAMES,
  eventFilter,
  eventOfSubject,
  eventSubject,
  querySubject,
  Queries,
  recipientEventsFilter,
  streamSubjects,
} from './event-catalog';
import { topology } from './topology';

describe('event catalog', () => {
  const t = topology('acme');

  it('derives every name from the namespace', () => {
    expect(t.streams).toEqual({
      requests: 'acme-requests',
      batches: 'acme-batches',
      events: 'acme-events',
      deadLetters: 'acme-dead-letters',
      advisories: 'acme-advisories',
      parked: 'acme-parked',
      recipientEvents: 'acme-recipient-events',
    });
    expect(t.buckets.ledger).toBe('acme-ledger');
    expect(eventSubject(t, Events.NewsletterRequested)).toBe('acme.newsletter.requested');
    expect(querySubject(t, Queries.NewsletterStatus)).toBe('acme.rpc.newsletter.status');
  });

  it('gives keyed events one subject per newsletter and a wildcard filter', () => {
    expect(eventSubject(t, Events.BatchReady, 'n1')).toBe('acme.batch.ready.n1');
    expect(eventFilter(t, Events.BatchReady)).toBe('acme.batch.ready.*');
    expect(() => eventSubject(t, Events.BatchReady)).toThrow(/needs a subject-safe key/);
    expect(() => eventSubject(t, Events.BatchReady, 'a.b')).toThrow(/needs a subject-safe key/);
  });

  it.each([
    ['acme.newsletter.requested', Events.NewsletterRequested],
    ['acme.batch.ready.5f1c', Events.BatchReady],
    ['acme.newsletter.split', Events.NewsletterSplit],
    ['acme.newsletter.split-started', Events.NewsletterSplitStarted],
    ['acme.batch.completed', Events.BatchCompleted],
    ['acme.batch.ready', undefined],
    ['acme.batch.ready.a.b', undefined],
    ['other.newsletter.requested', undefined],
    ['acme.unknown', undefined],
    ['acme.dead-letter.batches', Events.DeadLettered],
    ['$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.acme-batches.acme-sender', Events.MaxDeliveriesReached],
    ['$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.other-batches.other-sender', undefined],
  ])('maps subject %s to %s', (subject, event) => {
    expect(eventOfSubject(t, subject)).toBe(event);
  });

  it('gives each stream its own subjects, without overlap', () => {
    const all = [...streamSubjects(t, 'requests'), ...streamSubjects(t, 'batches'), ...streamSubjects(t, 'events')];
    expect(new Set(all).size).toBe(all.length);
    expect(streamSubjects(t, 'batches')).toEqual(['acme.batch.ready.*']);
    expect(streamSubjects(t, 'advisories')).toEqual([
      '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.acme-requests.*',
      '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.acme-batches.*',
    ]);
  });

  it('keys recipient events by newsletter under one prefix that one filter subject matches', () => {
    expect(eventSubject(t, RECIPIENT_EVENT_NAMES.clicked, 'n1')).toBe('acme.recipient.clicked.n1');
    expect(eventOfSubject(t, 'acme.recipient.delivered.n1')).toBe(Events.RecipientDelivered);
    expect(eventOfSubject(t, 'acme.recipient.delivered')).toBeUndefined();
    expect(recipientEventsFilter(t)).toBe('acme.recipient.>');
    const subjects = streamSubjects(t, 'recipientEvents');
    expect(subjects).toHaveLength(7);
    expect(subjects.every((s) => /^acme\.recipient\.[a-z]+\.\*$/.test(s))).toBe(true);
    // Nothing of another stream starts with the prefix.
    for (const role of ['requests', 'batches', 'events', 'deadLetters', 'parked'] as const) {
      expect(streamSubjects(t, role).filter((s) => s.startsWith('acme.recipient.'))).toEqual([]);
    }
  });

  it('refuses namespaces that would break subjects or stream names', () => {
    for (const bad of ['', 'a.b', 'a b', 'A', 'a*', '-a', 'x'.repeat(33)]) {
      expect(() => topology(bad)).toThrow(/Invalid namespace/);
    }
  });
});
