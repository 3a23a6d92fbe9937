import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Events, NewsletterRequestedEvent, NewsletterRetryRequestedEvent } from '@mailroom/contracts';
import { NewsletterSplitter } from './newsletter-splitter.service';
import { RetrySplitter } from './retry-splitter.service';

@Controller()
export class SplitHandler {
  constructor(
    private readonly splitter: NewsletterSplitter,
    private readonly retries: RetrySplitter,
  ) {}

  @EventPattern(Events.NewsletterRequested)
  async onRequested(@Payload() event: NewsletterRequestedEvent): Promise<void> {
    await this.splitter.split(event);
  }

  @EventPattern(Events.NewsletterRetryRequested)
  async onRetryRequested(@Payload() event: NewsletterRetryRequestedEvent): Promise<void> {
    await this.retries.split(event);
  }
}
