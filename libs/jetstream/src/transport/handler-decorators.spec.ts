import { EventPattern, MessagePattern } from '@nestjs/microservices';
import {
  Events,
  Queries,
  type BatchReadyEvent,
  type NewsletterSplitEvent,
  type NewsletterStatusQuery,
  type NewsletterStatusReply,
} from '@mailroom/contracts';
import { AnswersQuery, EventPublisher, HandlesEvent, QueryClient } from '@mailroom/jetstream';

/** Every metadata entry Nest's decorators left on a handler function. */
function metadataOf(handler: unknown): Record<string, unknown> {
  const target = handler as object;
  return Object.fromEntries(Reflect.getMetadataKeys(target).map((key: string) => [key, Reflect.getMetadata(key, target) as unknown]));
}

class TypedHandlers {
  @HandlesEvent(Events.BatchReady)
  onBatch(_batch: BatchReadyEvent, _context: unknown): void {}

  @AnswersQuery(Queries.NewsletterStatus)
  onStatus(_query: NewsletterStatusQuery): Promise<NewsletterStatusReply> {
    return Promise.resolve({ found: false });
  }
}

class PlainHandlers {
  @EventPattern(Events.BatchReady)
  onBatch(_batch: BatchReadyEvent, _context: unknown): void {}

  @MessagePattern(Queries.NewsletterStatus)
  onStatus(_query: NewsletterStatusQuery): Promise<NewsletterStatusReply> {
    return Promise.resolve({ found: false });
  }
}

describe('typed handler decorators', () => {
  it('register a handler exactly as @EventPattern and @MessagePattern do', () => {
    const typed = new TypedHandlers();
    const plain = new PlainHandlers();
    expect(metadataOf(typed.onBatch)).toEqual(metadataOf(plain.onBatch));
    expect(metadataOf(typed.onStatus)).toEqual(metadataOf(plain.onStatus));
    expect(metadataOf(typed.onBatch)).toHaveProperty(['microservices:pattern'], [Events.BatchReady]);
  });
});

/*
 * Compile-time contract checks: `npx tsc -p tsconfig.check.json` fails when one of the lines
 * marked @ts-expect-error compiles, i.e. when a wrong payload would be accepted. Never called.
 */
export function compileTimeChecks(publisher: EventPublisher, queries: QueryClient, batch: BatchReadyEvent, split: NewsletterSplitEvent): void {
  void publisher.publish(Events.BatchReady, batch, { msgId: 'm', key: batch.newsletterId });
  void publisher.publish(Events.NewsletterSplit, split, { msgId: 'm' });
  // @ts-expect-error a split's totals are not a batch
  void publisher.publish(Events.BatchReady, split, { msgId: 'm', key: split.newsletterId });
  // @ts-expect-error a batch is missing the split's totals
  void publisher.publish(Events.NewsletterSplit, batch, { msgId: 'm' });
  // @ts-expect-error max-deliveries advisories come from the NATS server, not from us
  void publisher.publish(Events.MaxDeliveriesReached, batch, { msgId: 'm' });
  // @ts-expect-error the status query names a newsletter by `id`
  void queries.ask(Queries.NewsletterStatus, { newsletterId: 'n1' });

  class WrongHandlers {
    // @ts-expect-error a batch.ready handler must take a BatchReadyEvent
    @HandlesEvent(Events.BatchReady)
    onBatch(_split: NewsletterSplitEvent): void {}

    // @ts-expect-error the status query is answered with a NewsletterStatusReply
    @AnswersQuery(Queries.NewsletterStatus)
    onStatus(_query: NewsletterStatusQuery): Promise<string> {
      return Promise.resolve('found');
    }
  }
  void WrongHandlers;
}
