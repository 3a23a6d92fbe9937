import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Events, NewsletterResumeRequestedEvent } from '@mailroom/contracts';
import { HandlesEvent, NewsletterControls, ParkedBatches } from '@mailroom/jetstream';
import { SPLITTER_CONFIG, type SplitterConfig } from '../config/splitter.config';

/** A paused newsletter was resumed: its parked batches go back on the batch queue (all at once, or a window at a time by the dispatcher). */
@Controller()
export class ResumeHandler {
  private readonly logger = new Logger(ResumeHandler.name);

  constructor(
    @Inject(SPLITTER_CONFIG) private readonly config: SplitterConfig,
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
    // With a batch window the dispatcher lets the parked batches in a window at a time (it looks
    // every 250 ms and skips paused newsletters only); without one they all go back now.
    if (this.config.batchWindow > 0) return;
    await this.parked.resume(event.newsletterId, event.generation);
  }
}
