import { ConsoleLogger, Logger } from '@nestjs/common';
import { UnsubscribeTokens, addressHash, suppressionKey, type SuppressionEntry } from '@mailroom/contracts';
import type { EventPublisher, NewsletterRecords, RecipientEventPublisher } from '@mailroom/jetstream';
import type { GatewayConfig } from '../config/gateway.config';
import type { SuppressionAccess } from '../suppressions/suppression-access';
import { UnsubscribeService } from './unsubscribe.service';

const tokens = new UnsubscribeTokens('u'.repeat(32));
const newsletterId = '0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b';

function service(options: { failPublish?: boolean } = {}) {
  const suppressed = new Map<string, SuppressionEntry>();
  const published: Array<{ event: string; payload: unknown; msgId: string | undefined }> = [];
  const suppressions = {
    add: (entry: SuppressionEntry) => {
      const key = suppressionKey(entry.email);
      const existing = suppressed.get(key);
      if (!existing) suppressed.set(key, entry);
      return Promise.resolve({ created: !existing, entry: existing ?? entry });
    },
  } as unknown as SuppressionAccess;
  const records = { get: () => Promise.resolve({ id: newsletterId, tenant: 'acme' }) } as unknown as NewsletterRecords;
  const publisher = {
    publish: (event: string, payload: unknown, publishOptions?: { msgId?: string }) => {
      if (options.failPublish) return Promise.reject(new Error('NATS unavailable'));
      published.push({ event, payload, msgId: publishOptions?.msgId });
      return Promise.resolve({ seq: published.length, duplicate: false, stream: 'events' });
    },
  } as unknown as EventPublisher;
  // RECIPIENT_EVENTS off: the recipient-event publisher publishes nothing (answers undefined).
  const recipientEvents = { publish: () => undefined } as unknown as RecipientEventPublisher;
  const config = { unsubscribe: { tokens, developmentSecret: false } } as unknown as GatewayConfig;
  return { unsubscribes: new UnsubscribeService(config, suppressions, records, publisher, recipientEvents), published, suppressed };
}

describe('UnsubscribeService', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });

  it('announces an unsubscribe that suppressed the address, once: repeating it (already suppressed) announces nothing', async () => {
    const { unsubscribes, published } = service();
    const token = tokens.sign({ newsletterId, email: 'Ann@Example.org' });
    await unsubscribes.unsubscribe(token);
    await unsubscribes.unsubscribe(token);
    expect(published).toEqual([
      {
        event: 'unsubscribe.recorded',
        payload: { newsletterId, occurredAt: expect.any(String) as string, email: 'Ann@Example.org' },
        msgId: `unsubscribe:${newsletterId}:${addressHash('Ann@Example.org')}`,
      },
    ]);
  });

  it('unsubscribes even when the event cannot be published (the count is lost, the suppression is not)', async () => {
    const { unsubscribes, suppressed } = service({ failPublish: true });
    await expect(unsubscribes.unsubscribe(tokens.sign({ newsletterId, email: 'bob@example.org' }))).resolves.toMatchObject({ email: 'bob@example.org' });
    expect(suppressed.size).toBe(1);
  });
});
