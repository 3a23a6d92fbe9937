import { ConsoleLogger, Logger } from '@nestjs/common';
import type { NewsletterContent, RecipientEvent } from '@mailroom/contracts';
import type { ContentStore } from '@mailroom/jetstream';
import { MetricsRegistry } from '@mailroom/observability';
import type { TrackerConfig } from '../config/tracker.config';
import { RecipientWebhooks } from './recipient-webhooks.service';

const asked = '11111111-1111-4111-8111-111111111111';
const notAsked = '22222222-2222-4222-8222-222222222222';
const contents: Record<string, NewsletterContent> = {
  [asked]: { subject: 's', from: 'a@example.org', webhookUrl: 'https://hooks.example.com/in', recipientWebhooks: true },
  [notAsked]: { subject: 's', from: 'a@example.org', webhookUrl: 'https://hooks.example.com/in' },
};
const event = (newsletterId: string, n = 0): RecipientEvent => ({
  id: `delivered:${newsletterId}:first:${n}`,
  kind: 'delivered',
  newsletterId,
  occurredAt: new Date().toISOString(),
  email: `r${n}@example.org`,
});

function service({ secret }: { secret: string | undefined } = { secret: 'whsec-0123456789abcdef' }) {
  const lookups: string[] = [];
  const content = {
    getJson: (name: string) => {
      lookups.push(name);
      const id = name.split('/')[1]!;
      return Promise.resolve(contents[id] ?? null);
    },
  } as unknown as ContentStore;
  const config = {
    webhooks: { secret, timeoutMs: 1_000, maxPerDestination: 2, retryForMs: 3_600_000, allowPrivate: false, allowedHosts: new Set<string>() },
    retry: { webhooks: { maxDeliver: 1_000, baseDelayMs: 2_000, maxDelayMs: 300_000 } },
  } as unknown as TrackerConfig;
  const metrics = new MetricsRegistry();
  const webhooks = new RecipientWebhooks(config, content, metrics);
  const count = async (result: string) => {
    const values = (await metrics.registry.getSingleMetric('mailroom_recipient_webhook_events_total')!.get()).values;
    return values.find((v) => v.labels['result'] === result)?.value ?? 0;
  };
  return { webhooks, lookups, count };
}

describe('RecipientWebhooks', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });

  const fresh = { storedAtMs: Date.now(), deliveryCount: 1 };

  it('acknowledges the events of a newsletter that did not ask at once, looking its content up once', async () => {
    const { webhooks, lookups, count } = service();
    for (let n = 0; n < 5; n += 1) await expect(webhooks.accept(event(notAsked, n), fresh)).resolves.toBeUndefined();
    expect(lookups).toEqual([`newsletters/${notAsked}/content.json`]);
    expect(await count('delivered')).toBe(0);
  });

  it('posts nothing unsigned: without WEBHOOK_SECRET the events of a newsletter that asked are skipped', async () => {
    const { webhooks, count } = service({ secret: undefined });
    await webhooks.accept(event(asked), fresh);
    expect(await count('skipped')).toBe(1);
  });

  it('drops an event stored longer ago than WEBHOOK_RETRY_FOR_MS (abandoned)', async () => {
    const { webhooks, count } = service();
    await webhooks.accept(event(asked), { storedAtMs: Date.now() - 3_600_001, deliveryCount: 40 });
    expect(await count('abandoned')).toBe(1);
  });
});
