import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Events, NewsletterResumeRequestedEvent } from '@mailroom/contracts';
import { HandlesEvent, NewsletterControls, ParkedBatches } from '@mailroom/jetstream';

/** A paused newsletter was resumed: its parked batches go back on the batch queue. */
@Controller()
export class ResumeHandler {
  private readonly logger = new Logger(ResumeHandler.name);

  constructor(
    private readonly parked: ParkedBatches,
    private readonly controls: NewsletterControls,
  ) {}

  @HandlesEvent(Events.NewsletterResumeRequested)
  async onResume(@Payload() event: NewsletterResumeRequestedEvent): Promise<void> {
    // Paused (or cancelled) again since: that later change decides, not this resume.
    if (this.controls.generationOf(event.newsletterId) > event.generation || this.controls.stateOf(event.newsletterId) !== 'active') {
      this.logger.log({ newsletterId: event.newsletterId }, 'Stale resume ignored');
      return;
    }
    await this.parked.resume(event.newsletterId, event.generation);
  }
}
