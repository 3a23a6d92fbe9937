import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Events, NewsletterCompletedEvent, NewsletterProgressedEvent } from '@mailroom/contracts';
import { HandlesEvent } from '@mailroom/jetstream';
import { WebhookNotifier } from './webhook-notifier.service';

/** Events that callers hear about through their webhook. */
@Controller()
export class WebhookHandler {
  constructor(private readonly notifier: WebhookNotifier) {}

  @HandlesEvent(Events.NewsletterCompleted)
  onCompleted(@Payload() event: NewsletterCompletedEvent): Promise<void> {
    const { newsletterId, occurredAt, ...data } = event;
    // One completion per settlement (first pass, then after each re-send round).
    const settlement = `${data.status}-${data.sent}-${data.failed}-${data.suppressed}`;
    return this.notifier.notify({
      id: `${newsletterId}:completed:${settlement}`,
      key: `completed-${settlement}`,
      type: 'newsletter.completed',
      newsletterId,
      occurredAt,
      data: { newsletterId, ...data },
    });
  }

  @HandlesEvent(Events.NewsletterProgressed)
  onProgressed(@Payload() event: NewsletterProgressedEvent): Promise<void> {
    const { newsletterId, occurredAt, ...data } = event;
    return this.notifier.notify({
      id: `${newsletterId}:progress:${data.percent}`,
      key: `progress-${data.percent}`,
      type: 'newsletter.progressed',
      newsletterId,
      occurredAt,
      data: { newsletterId, ...data },
    });
  }
}
