import { ConsoleLogger, Logger } from '@nestjs/common';
import { ContentObjects, type NewsletterContent, type Priority } from '@mailroom/contracts';
import type { ContentStore, EventPublisher, NewsletterRecords, QueryClient, Schedules } from '@mailroom/jetstream';
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../config/gateway.config';
import type { IdempotencyClaims } from '../idempotency/idempotency-claims';
import type { ListsService } from '../lists/lists.service';
import type { RequestRateLimiter } from '../rate-limit/request-rate-limiter';
import type { SuppressionAccess } from '../suppressions/suppression-access';
import type { TenantMetrics } from '../tenants/tenant-metrics';
import type { WebhookUrlPolicy } from '../webhooks/webhook-url.policy';
import { FromAllowList } from './from-allow-list';
import { NewslettersService, type NewsletterRequest } from './newsletters.service';

/**
 * What a new newsletter stores about its lane and priority: the content document (the senders
 * read `lane`) and the record (the view shows `priority`). The stores are in-memory stand-ins that
 * keep what is written; none of them is asked anything this path does not need.
 */
const caller: Caller = { keyName: 'ops', tenant: 'acme', scopes: new Set(['send']) };
const LIST_ID = '0b6f3c1e-8a7d-4f0e-9c2b-5d4a3e2f1a00';
/** A store's write, done. */
const done = (_effect?: unknown): Promise<void> => Promise.resolve();

function gateway(trackerAnswer: unknown = { found: false }, trackingDefaults = { opens: false, clicks: false }) {
  const documents = new Map<string, unknown>();
  const records: Array<{ id: string; options: { readonly priority?: Priority } }> = [];
  const service = new NewslettersService(
    {
      maxInlineRecipients: 1000,
      defaultFrom: 'news@acme.example',
      allowedFrom: FromAllowList.parse('@acme.example'),
      tracking: { defaults: trackingDefaults },
    } as unknown as GatewayConfig,
    { create: (id: string, _submitted: number, options: { readonly priority?: Priority }) => done(records.push({ id, options })) } as unknown as NewsletterRecords,
    { put: () => done() } as unknown as Schedules,
    { putJson: (name: string, value: unknown) => done(documents.set(name, value)), putLines: () => done() } as unknown as ContentStore,
    { publish: () => done() } as unknown as EventPublisher,
    { ask: () => Promise.resolve(trackerAnswer) } as unknown as QueryClient,
    {} as IdempotencyClaims,
    {} as WebhookUrlPolicy,
    { snapshot: () => Promise.resolve({ listId: LIST_ID, parts: ['p0'], subscribers: 5000 }) } as unknown as ListsService,
    { suppressing: () => Promise.resolve(null) } as unknown as SuppressionAccess,
    { consumeTestSend: () => undefined } as unknown as RequestRateLimiter,
    { newsletterAccepted: () => undefined, testRecipientsSkipped: () => undefined } as unknown as TenantMetrics,
  );
  const stored = (id: string) => ({
    lane: (documents.get(ContentObjects.content(id)) as NewsletterContent | undefined)?.lane,
    priority: records.find((r) => r.id === id)?.options.priority,
  });
  const trackingOf = (id: string) => (documents.get(ContentObjects.content(id)) as NewsletterContent | undefined)?.tracking;
  return { service, stored, trackingOf };
}

const two = [{ email: 'ann@example.org' }, { email: 'bob@example.org' }];
const content = { subject: 'Hi', text: 'Hello' };

describe('NewslettersService: lane and priority', () => {
  // "Newsletter queued" lines are not what this is about.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });
  it.each<[string, NewsletterRequest, { lane: string; priority: Priority }]>([
    ['a list send, high', { ...content, listId: LIST_ID, priority: 'high' }, { lane: 'high', priority: 'high' }],
    ['a list send, low', { ...content, listId: LIST_ID, priority: 'low' }, { lane: 'low', priority: 'low' }],
    ['a list send without priority', { ...content, listId: LIST_ID }, { lane: 'normal', priority: 'normal' }],
    ['two inline recipients, low', { ...content, recipients: two, priority: 'low' }, { lane: 'low', priority: 'low' }],
    ['one inline recipient, low', { ...content, recipients: [{ email: 'ann@example.org' }], priority: 'low' }, { lane: 'fast', priority: 'low' }],
  ])('%s', async (_what, request, expected) => {
    const { service, stored } = gateway();
    const { id } = await service.create(request, caller);
    expect(stored(id)).toEqual(expected);
  });

  it('sends a test in the fast lane', async () => {
    const { service, stored } = gateway();
    const { id } = await service.test({ ...content, recipients: two }, caller);
    expect(stored(id)).toEqual({ lane: 'fast', priority: 'normal' });
  });

  it('reads a view from a tracker older than priorities and engagement counts as normal, with no opens, clicks, unsubscribes or links', async () => {
    const id = '7f0c2a9e-5b1d-4c3e-8f6a-2d9b1e4c7a10';
    const { service } = gateway({ found: true, tenant: 'acme', newsletter: { id, status: 'sending', test: false, sent: 1 } });
    expect(await service.get(id, caller)).toEqual({
      id,
      status: 'sending',
      test: false,
      sent: 1,
      priority: 'normal',
      opens: 0,
      clicks: 0,
      clicksTotal: 0,
      machineOpens: 0,
      unsubscribes: 0,
      links: [],
    });
  });
});

describe('NewslettersService: tracking', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });

  it.each<[string, NewsletterRequest['tracking'], { opens: boolean; clicks: boolean }, unknown]>([
    ['nothing asked, default none', undefined, { opens: false, clicks: false }, undefined],
    ['clicks asked, default none', { clicks: true }, { opens: false, clicks: false }, { opens: false, clicks: true }],
    ['nothing asked, default opens', undefined, { opens: true, clicks: false }, { opens: true, clicks: false }],
    ['opens turned off against a default of both', { opens: false }, { opens: true, clicks: true }, { opens: false, clicks: true }],
    ['both turned off against a default of both', { opens: false, clicks: false }, { opens: true, clicks: true }, undefined],
  ])('%s: stores %p over %p', async (_case, tracking, defaults, expected) => {
    const { service, trackingOf } = gateway(undefined, defaults);
    const { id } = await service.create({ ...content, recipients: two, ...(tracking ? { tracking } : {}) }, caller);
    expect(trackingOf(id)).toEqual(expected);
  });
});
