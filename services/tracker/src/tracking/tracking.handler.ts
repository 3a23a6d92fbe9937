import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  BatchCompletedEvent,
  Events,
  NewsletterSplitEvent,
  NewsletterSplitFailedEvent,
  NewsletterSplitStartedEvent,
  Queries,
  type NewsletterStatusQuery,
  type NewsletterStatusReply,
} from '@mailroom/contracts';
import { NewsletterTracker } from './newsletter-tracker.service';

@Controller()
export class TrackingHandler {
  constructor(private readonly tracker: NewsletterTracker) {}

  @EventPattern(Events.NewsletterSplitStarted)
  onSplitStarted(@Payload() event: NewsletterSplitStartedEvent): Promise<void> {
    return this.tracker.splitStarted(event);
  }

  @EventPattern(Events.NewsletterSplit)
  onSplit(@Payload() event: NewsletterSplitEvent): Promise<void> {
    return this.tracker.split(event);
  }

  @EventPattern(Events.NewsletterSplitFailed)
  onSplitFailed(@Payload() event: NewsletterSplitFailedEvent): Promise<void> {
    return this.tracker.splitFailed(event);
  }

  @EventPattern(Events.BatchCompleted)
  onBatchCompleted(@Payload() event: BatchCompletedEvent): Promise<void> {
    return this.tracker.batchCompleted(event);
  }

  @MessagePattern(Queries.NewsletterStatus)
  onStatus(@Payload() query: NewsletterStatusQuery): Promise<NewsletterStatusReply> {
    return this.tracker.status(String(query.id));
  }
}
