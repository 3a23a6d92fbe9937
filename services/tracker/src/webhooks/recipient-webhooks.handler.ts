import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Events, RecipientEvent } from '@mailroom/contracts';
import { HandlesEvent, JetStreamContext } from '@mailroom/jetstream';
import { RecipientWebhooks } from './recipient-webhooks.service';

/** Every recipient event, for the newsletters that asked for them as webhooks (`recipientWebhooks`). */
@Controller()
export class RecipientWebhooksHandler {
  constructor(private readonly webhooks: RecipientWebhooks) {}

  @HandlesEvent(Events.RecipientDelivered)
  onDelivered(@Payload() event: RecipientEvent, @Ctx() context: JetStreamContext): Promise<void> {
    return this.accept(event, context);
  }

  @HandlesEvent(Events.RecipientFailed)
  onFailed(@Payload() event: RecipientEvent, @Ctx() context: JetStreamContext): Promise<void> {
    return this.accept(event, context);
  }

  @HandlesEvent(Events.RecipientBounced)
  onBounced(@Payload() event: RecipientEvent, @Ctx() context: JetStreamContext): Promise<void> {
    return this.accept(event, context);
  }

  @HandlesEvent(Events.RecipientComplained)
  onComplained(@Payload() event: RecipientEvent, @Ctx() context: JetStreamContext): Promise<void> {
    return this.accept(event, context);
  }

  @HandlesEvent(Events.RecipientOpened)
  onOpened(@Payload() event: RecipientEvent, @Ctx() context: JetStreamContext): Promise<void> {
    return this.accept(event, context);
  }

  @HandlesEvent(Events.RecipientClicked)
  onClicked(@Payload() event: RecipientEvent, @Ctx() context: JetStreamContext): Promise<void> {
    return this.accept(event, context);
  }

  @HandlesEvent(Events.RecipientUnsubscribed)
  onUnsubscribed(@Payload() event: RecipientEvent, @Ctx() context: JetStreamContext): Promise<void> {
    return this.accept(event, context);
  }

  private accept(event: RecipientEvent, context: JetStreamContext): Promise<void> {
    // When the stream stored it (the retry window counts from there).
    const storedAtMs = Number(context.message.timestampNanos / 1_000_000n);
    return this.webhooks.accept(event, { storedAtMs, deliveryCount: context.deliveryCount });
  }
}
