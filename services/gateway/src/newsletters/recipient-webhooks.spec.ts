import { ConsoleLogger, Logger } from '@nestjs/common';
import { ContentObjects, type NewsletterContent } from '@mailroom/contracts';
import type { ContentStore, EventPublisher, NewsletterRecords, QueryClient, Schedules } from '@mailroom/jetstream';
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../config/gateway.config';
import { ValidationFailedError } from '../http/api-errors';
import type { IdempotencyClaims } from '../idempotency/idempotency-claims';
import type { ListsService } from '../lists/lists.service';
import type { RequestRateLimiter } from '../rate-limit/request-rate-limiter';
import type { SuppressionAccess } from '../suppressions/suppression-access';
import type { TenantMetrics } from '../tenants/tenant-metrics';
import type { WebhookUrlPolicy } from '../webhooks/webhook-url.policy';
import { FromAllowList } from './from-allow-list';
import { NewslettersService } from './newsletters.service';

const caller: Caller = { keyName: 'ops', tenant: 'acme', scopes: new Set(['send']) };
const done = (_effect?: unknown): Promise<void> => Promise.resolve();
const request = { subject: 'Hi', text: 'Hello', recipients: [{ email: 'ann@example.org' }, { email: 'bob@example.org' }] };
const webhookUrl = 'https://hooks.acme.example/in';

/** The gateway's newsletter service over in-memory stand-ins, with RECIPIENT_EVENTS on or off. */
function gateway(recipientEvents: boolean) {
  const documents = new Map<string, unknown>();
  const service = new NewslettersService(
    {
      maxInlineRecipients: 1000,
      defaultFrom: 'news@acme.example',
      allowedFrom: FromAllowList.parse('@acme.example'),
      tracking: { defaults: { opens: false, clicks: false } },
      recipientEvents: { enabled: recipientEvents, maxAgeMs: 3_600_000, maxBytes: 1_048_576 },
    } as unknown as GatewayConfig,
    { create: () => done() } as unknown as NewsletterRecords,
    { put: () => done() } as unknown as Schedules,
    { putJson: (name: string, value: unknown) => done(documents.set(name, value)), putLines: () => done() } as unknown as ContentStore,
    { publish: () => done() } as unknown as EventPublisher,
    {} as QueryClient,
    {} as IdempotencyClaims,
    { assertSafe: (url: string) => Promise.resolve(url) } as unknown as WebhookUrlPolicy,
    {} as ListsService,
    {} as SuppressionAccess,
    {} as RequestRateLimiter,
    { newsletterAccepted: () => undefined } as unknown as TenantMetrics,
  );
  const contentOf = (id: string) => documents.get(ContentObjects.content(id)) as NewsletterContent;
  return { service, contentOf, stored: () => documents.size };
}

describe('NewslettersService: recipientWebhooks', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });

  it('stores the flag with the content (the tracker reads it there); absent when not asked', async () => {
    const { service, contentOf } = gateway(true);
    const asked = await service.create({ ...request, webhookUrl, recipientWebhooks: true }, caller);
    expect(contentOf(asked.id)).toMatchObject({ webhookUrl, recipientWebhooks: true });
    const notAsked = await service.create({ ...request, webhookUrl, recipientWebhooks: false }, caller);
    expect(contentOf(notAsked.id)).not.toHaveProperty('recipientWebhooks');
  });

  it.each([
    ['without a webhookUrl', true, {}, /needs a webhookUrl/],
    ['while the deployment has RECIPIENT_EVENTS off', false, { webhookUrl }, /RECIPIENT_EVENTS is off/],
  ])('refuses it %s (400 naming recipientWebhooks), storing nothing', async (_what, enabled, extra, message) => {
    const { service, stored } = gateway(enabled);
    const refused = service.create({ ...request, ...extra, recipientWebhooks: true }, caller);
    await expect(refused).rejects.toBeInstanceOf(ValidationFailedError);
    await expect(refused).rejects.toMatchObject({ field: 'recipientWebhooks', message });
    expect(stored()).toBe(0);
  });
});
