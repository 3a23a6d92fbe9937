import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  BatchCompletedEvent,
  BatchProgressedEvent,
  DeadLetterEvent,
  EngagementRecordedEvent,
  Events,
  FeedbackReceivedEvent,
  MaxDeliveriesAdvisory,
  NewsletterCancelledEvent,
  NewsletterRoundStartedEvent,
  NewsletterSplitEvent,
  NewsletterSplitFailedEvent,
  NewsletterSplitStartedEvent,
  Queries,
  UnsubscribeRecordedEvent,
  type NewsletterStatusQuery,
  type NewsletterStatusReply,
} from '@mailroom/contracts';
import { AnswersQuery, DeadLetterPublisher, HandlesEvent, JetStreamContext } from '@mailroom/jetstream';
import { NewsletterTracker } from './newsletter-tracker.service';

@Controller()
export class TrackingHandler {
  constructor(
    private readonly tracker: NewsletterTracker,
    private readonly deadLetters: DeadLetterPublisher,
  ) {}

  @HandlesEvent(Events.NewsletterSplitStarted)
  onSplitStarted(@Payload() event: NewsletterSplitStartedEvent): Promise<void> {
    return this.tracker.splitStarted(event);
  }

  @HandlesEvent(Events.NewsletterSplit)
  onSplit(@Payload() event: NewsletterSplitEvent): Promise<void> {
    return this.tracker.split(event);
  }

  @HandlesEvent(Events.NewsletterSplitFailed)
  onSplitFailed(@Payload() event: NewsletterSplitFailedEvent): Promise<void> {
    return this.tracker.splitFailed(event);
  }

  @HandlesEvent(Events.NewsletterRoundStarted)
  onRoundStarted(@Payload() event: NewsletterRoundStartedEvent): Promise<void> {
    return this.tracker.roundStarted(event);
  }

  @HandlesEvent(Events.NewsletterCancelled)
  onCancelled(@Payload() event: NewsletterCancelledEvent): Promise<void> {
    return this.tracker.cancelled(event);
  }

  @HandlesEvent(Events.BatchCompleted)
  onBatchCompleted(@Payload() event: BatchCompletedEvent): Promise<void> {
    return this.tracker.batchCompleted(event);
  }

  @HandlesEvent(Events.BatchProgressed)
  onBatchProgressed(@Payload() event: BatchProgressedEvent): Promise<void> {
    return this.tracker.batchProgressed(event);
  }

  @HandlesEvent(Events.FeedbackReceived)
  onFeedback(@Payload() event: FeedbackReceivedEvent): Promise<void> {
    return this.tracker.feedbackReceived(event);
  }

  @HandlesEvent(Events.EngagementRecorded)
  onEngagement(@Payload() event: EngagementRecordedEvent): Promise<void> {
    return this.tracker.engagementRecorded(event);
  }

  @HandlesEvent(Events.UnsubscribeRecorded)
  onUnsubscribe(@Payload() event: UnsubscribeRecordedEvent): Promise<void> {
    return this.tracker.unsubscribeRecorded(event);
  }

  @HandlesEvent(Events.DeadLettered)
  onDeadLettered(@Payload() letter: DeadLetterEvent, @Ctx() context: JetStreamContext): Promise<void> {
    // The dead-letter subject's last token is the role of the stream the message came from.
    const role = context.subject.slice(context.subject.lastIndexOf('.') + 1);
    return this.tracker.deadLettered(letter, role);
  }

  /** A work-queue message that crashed its consumer every time: move it to the dead letters. */
  @HandlesEvent(Events.MaxDeliveriesReached)
  async onMaxDeliveries(@Payload() advisory: MaxDeliveriesAdvisory): Promise<void> {
    await this.deadLetters.fromAdvisory(advisory);
  }

  @AnswersQuery(Queries.NewsletterStatus)
  onStatus(@Payload() query: NewsletterStatusQuery): Promise<NewsletterStatusReply> {
    return this.tracker.status(String(query.id));
  }
}
