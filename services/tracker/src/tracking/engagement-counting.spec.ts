import { ConsoleLogger, Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  NewsletterCompletedEvent,
  isLedgerEntryKey,
  ledgerKey,
  newNewsletterRecord,
  toNewsletterView,
  type EngagementRecordedEvent,
  type LedgerEntry,
  type NewsletterRecord,
  type UnsubscribeRecordedEvent,
} from '@mailroom/contracts';
import { DeliveryLedger, NewsletterRecords, type EventPublisher } from '@mailroom/jetstream';
import { MetricsRegistry } from '@mailroom/observability';
import type { TrackerConfig } from '../config/tracker.config';
import { WebhookHandler } from '../webhooks/webhook.handler';
import type { WebhookEvent, WebhookNotifier } from '../webhooks/webhook-notifier.service';
import type { DeadBatchAccounting } from './dead-batch-accounting';
import { NewsletterTracker } from './newsletter-tracker.service';
import { TrackerMetrics } from './tracker.metrics';

/**
 * A KV bucket in memory, as far as the ledger and the records use one: get, create (refused when
 * the key exists) and update (compare-and-set on the revision), failing as JetStream does (10071).
 */
class MemoryKv {
  private readonly entries = new Map<string, { value: string; revision: number }>();
  private revision = 0;

  keys(): string[] {
    return [...this.entries.keys()];
  }

  get(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return Promise.resolve(null);
    return Promise.resolve({ key, operation: 'PUT' as const, revision: entry.revision, json: <T>() => JSON.parse(entry.value) as T, string: () => entry.value });
  }

  put(key: string, value: string): Promise<number> {
    this.entries.set(key, { value, revision: ++this.revision });
    return Promise.resolve(this.revision);
  }

  async create(key: string, value: string): Promise<number> {
    if (this.entries.has(key)) throw wrongLastSequence();
    return this.put(key, value);
  }

  async update(key: string, value: string, revision: number): Promise<number> {
    if (this.entries.get(key)?.revision !== revision) throw wrongLastSequence();
    return this.put(key, value);
  }
}

const wrongLastSequence = () => Object.assign(new Error('wrong last sequence'), { code: 10071 });

const id = '5d3c2b1a-0f9e-4d8c-b7a6-a5b4c3d2e1f0';
const at = '2026-12-01T10:00:00.000Z';
const later = (minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString();

const accepted = (email: string): LedgerEntry => ({ state: 'accepted', email, attempts: 1, at });

function engagement(email: string, kind: 'open' | 'click', occurredAt: string, extra: Partial<EngagementRecordedEvent> = {}): EngagementRecordedEvent {
  return { newsletterId: id, occurredAt, kind, batchIndex: 0, email, ...(kind === 'click' ? { url: 'https://example.org/spring' } : {}), ...extra };
}

describe('NewsletterTracker: engagement', () => {
  let ledgerKv: MemoryKv;
  let newslettersKv: MemoryKv;
  let records: NewsletterRecords;
  let metrics: MetricsRegistry;
  let published: Array<{ event: string; payload: Record<string, unknown> }>;
  let tracker: NewsletterTracker;

  // "Newsletter finished" lines are not what this is about.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });

  beforeEach(async () => {
    ledgerKv = new MemoryKv();
    newslettersKv = new MemoryKv();
    // The buckets the ledger and the records use, in memory.
    const stores = { ledger: ledgerKv, newsletters: newslettersKv } as unknown as ConstructorParameters<typeof DeliveryLedger>[0];
    records = new NewsletterRecords(stores);
    const ledger = new DeliveryLedger(stores);
    metrics = new MetricsRegistry();
    published = [];
    const publisher = {
      publish: (event: string, payload: Record<string, unknown>) => {
        published.push({ event, payload });
        return Promise.resolve({ seq: published.length, duplicate: false, stream: 'events' });
      },
    } as unknown as EventPublisher;
    const config = { progressStepPercent: 10 } as TrackerConfig;
    tracker = new NewsletterTracker(config, records, publisher, new TrackerMetrics(metrics), {} as DeadBatchAccounting, ledger);

    // Sent to ann, bob and cy in one batch; the newsletter is still sending (its one batch not counted yet).
    await newslettersKv.create(id, JSON.stringify(newNewsletterRecord(id, 3, new Date(at))));
    await tracker.split({ newsletterId: id, occurredAt: at, total: 3, batches: 1, duplicates: 0, invalid: 0, suppressed: 0, invalidSample: [] });
    for (const email of ['ann@example.org', 'bob@example.org', 'cy@example.org']) await ledgerKv.put(ledgerKey(id, 0, email), JSON.stringify(accepted(email)));
  });

  const record = async (): Promise<NewsletterRecord> => (await records.get(id))!;
  const counts = async () => {
    const { opens, clicks, clicksTotal, machineOpens } = toNewsletterView(await record());
    return { opens, clicks, clicksTotal, machineOpens };
  };
  const metric = async (): Promise<Record<string, number>> => {
    const values = (await metrics.registry.getSingleMetric('mailroom_engagement_total')!.get()).values;
    return Object.fromEntries(values.map((v) => [`${v.labels['kind']}/${v.labels['unique']}`, v.value]));
  };

  it('counts a recipient’s first open; a later open of theirs counts nowhere in the record', async () => {
    await tracker.engagementRecorded(engagement('ann@example.org', 'open', later(1)));
    await tracker.engagementRecorded(engagement('ann@example.org', 'open', later(2)));
    await tracker.engagementRecorded(engagement('bob@example.org', 'open', later(3)));
    expect(await counts()).toEqual({ opens: 2, clicks: 0, clicksTotal: 0, machineOpens: 0 });
    expect(await metric()).toMatchObject({ 'open/true': 2, 'open/false': 1 });
  });

  it('counts a machine open apart, without marking the recipient as having opened it', async () => {
    await tracker.engagementRecorded(engagement('ann@example.org', 'open', later(1), { machine: true }));
    await tracker.engagementRecorded(engagement('ann@example.org', 'open', later(2), { machine: true }));
    expect(await counts()).toEqual({ opens: 0, clicks: 0, clicksTotal: 0, machineOpens: 1 });
    // Ann reading it herself later is her first open.
    await tracker.engagementRecorded(engagement('ann@example.org', 'open', later(3)));
    expect(await counts()).toEqual({ opens: 1, clicks: 0, clicksTotal: 0, machineOpens: 1 });
    expect(await metric()).toMatchObject({ 'machine_open/true': 1, 'machine_open/false': 1, 'open/true': 1 });
  });

  it('counts every click in clicksTotal, each recipient once in clicks', async () => {
    await tracker.engagementRecorded(engagement('ann@example.org', 'click', later(1)));
    await tracker.engagementRecorded(engagement('ann@example.org', 'click', later(2)));
    await tracker.engagementRecorded(engagement('ann@example.org', 'click', later(2), { url: 'https://example.org/other' }));
    await tracker.engagementRecorded(engagement('bob@example.org', 'click', later(3)));
    expect(await counts()).toEqual({ opens: 0, clicks: 2, clicksTotal: 4, machineOpens: 0 });
    expect(await metric()).toMatchObject({ 'click/true': 2, 'click/false': 2 });
  });

  it('counts a redelivered event once: an open, a machine open, a first click and a later click', async () => {
    const events = [
      engagement('ann@example.org', 'open', later(1)),
      engagement('bob@example.org', 'open', later(1), { machine: true }),
      engagement('cy@example.org', 'click', later(1)),
      engagement('cy@example.org', 'click', later(2)),
    ];
    for (const event of events) await tracker.engagementRecorded(event);
    const once = await record();
    for (const event of events) await tracker.engagementRecorded({ ...event });
    expect(await counts()).toEqual({ opens: 1, clicks: 1, clicksTotal: 2, machineOpens: 1 });
    expect(await record()).toEqual(once);
    // A redelivered click is not counted at all; a redelivered open finds its recipient counted.
    expect(await metric()).toMatchObject({ 'click/true': 1, 'click/false': 1 });
  });

  it('counts a click of a recipient the ledger no longer holds in clicksTotal only, and no open of theirs', async () => {
    await tracker.engagementRecorded(engagement('gone@example.org', 'open', later(1)));
    await tracker.engagementRecorded(engagement('gone@example.org', 'click', later(1)));
    await tracker.engagementRecorded(engagement('gone@example.org', 'click', later(1)));
    expect(await counts()).toEqual({ opens: 0, clicks: 0, clicksTotal: 1, machineOpens: 0 });
  });

  it('leaves the ledger entries’ outcomes as they were, and keeps the click markers out of the entries', async () => {
    await tracker.engagementRecorded(engagement('ann@example.org', 'click', later(1)));
    await tracker.engagementRecorded(engagement('ann@example.org', 'open', later(2)));
    const entry = (await ledgerKv.get(ledgerKey(id, 0, 'ann@example.org')))!.json<LedgerEntry>();
    expect(entry).toEqual({ ...accepted('ann@example.org'), engagement: { click: later(1), open: later(2) } });
    // The click's marker and the recipient's marker for its link.
    expect(ledgerKv.keys().filter((k) => k.split('.').length === 4)).toHaveLength(2);
    expect(ledgerKv.keys().filter(isLedgerEntryKey)).toHaveLength(3);
  });

  it('counts clicks per link: every click, each recipient once per link, a redelivered click not at all', async () => {
    const spring = 'https://example.org/spring';
    const autumn = 'https://example.org/autumn';
    const events = [
      engagement('ann@example.org', 'click', later(1), { url: spring }),
      engagement('ann@example.org', 'click', later(2), { url: spring }),
      engagement('ann@example.org', 'click', later(3), { url: autumn }),
      engagement('bob@example.org', 'click', later(4), { url: spring }),
    ];
    for (const event of events) await tracker.engagementRecorded(event);
    for (const event of events) await tracker.engagementRecorded({ ...event });
    expect(toNewsletterView(await record()).links).toEqual([
      { url: spring, clicks: 3, recipients: 2 },
      { url: autumn, clicks: 1, recipients: 1 },
    ]);
    expect(await counts()).toEqual({ opens: 0, clicks: 2, clicksTotal: 4, machineOpens: 0 });
  });

  it('counts an unsubscribe once per recipient and newsletter: a redelivered event, or the same recipient again, counts nothing', async () => {
    const unsubscribe = (email: string, minutes: number): UnsubscribeRecordedEvent => ({ newsletterId: id, occurredAt: later(minutes), email });
    await tracker.unsubscribeRecorded(unsubscribe('ann@example.org', 1));
    await tracker.unsubscribeRecorded(unsubscribe('ann@example.org', 1));
    await tracker.unsubscribeRecorded(unsubscribe('ann@example.org', 5));
    await tracker.unsubscribeRecorded(unsubscribe('bob@example.org', 6));
    expect(toNewsletterView(await record())).toMatchObject({ unsubscribes: 2, opens: 0, clicks: 0 });
    expect(await metric()).toMatchObject({ 'unsubscribe/true': 2 });
    expect(await metric()).not.toHaveProperty('unsubscribe/false');
    // Its markers are never taken for ledger entries; it announces nothing.
    expect(ledgerKv.keys().filter(isLedgerEntryKey)).toHaveLength(3);
    expect(published).toEqual([]);
    // One for a newsletter the tracker does not know (gone past its retention) is ignored.
    await tracker.unsubscribeRecorded({ ...unsubscribe('ann@example.org', 7), newsletterId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' });
    expect(await metric()).toMatchObject({ 'unsubscribe/true': 2 });
  });

  it('does not move the record’s updatedAt (the watchdog’s sign of progress) and carries the counts in newsletter.completed and its webhook', async () => {
    const before = await record();
    await tracker.engagementRecorded(engagement('ann@example.org', 'open', later(1)));
    await tracker.engagementRecorded(engagement('ann@example.org', 'click', later(1)));
    await tracker.unsubscribeRecorded({ newsletterId: id, occurredAt: later(1), email: 'cy@example.org' });
    expect((await record()).updatedAt).toBe(before.updatedAt);
    expect(published).toEqual([]);

    await tracker.batchCompleted({ newsletterId: id, occurredAt: later(2), batchIndex: 0, sent: 3, failed: 0, suppressed: 0, failures: [] });
    const completed = published.find((p) => p.event === 'newsletter.completed');
    expect(completed?.payload).toMatchObject({ status: 'completed', sent: 3, bounced: 0, complained: 0, opens: 1, clicks: 1, clicksTotal: 1, machineOpens: 0, unsubscribes: 1 });
    // As the webhook consumer receives it (validated against the contract class, as the transport
    // does), it reaches the webhook's data.
    const received = plainToInstance(NewsletterCompletedEvent, JSON.parse(JSON.stringify(completed?.payload)) as object);
    expect(validateSync(received, { forbidUnknownValues: false })).toEqual([]);
    const webhooks: WebhookEvent[] = [];
    const notifier = { notify: (event: WebhookEvent) => Promise.resolve(void webhooks.push(event)) } as unknown as WebhookNotifier;
    await new WebhookHandler(notifier).onCompleted(received);
    expect(webhooks[0]?.data).toMatchObject({ newsletterId: id, status: 'completed', opens: 1, clicks: 1, clicksTotal: 1, machineOpens: 0, unsubscribes: 1 });

    // Counted after it settled too, without announcing it again.
    published.length = 0;
    await tracker.engagementRecorded(engagement('bob@example.org', 'open', later(60)));
    expect(await counts()).toMatchObject({ opens: 2 });
    expect((await record()).status).toBe('completed');
    expect(published).toEqual([]);
  });
});

