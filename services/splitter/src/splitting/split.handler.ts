import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Events, NewsletterRequestedEvent, NewsletterRetryRequestedEvent } from '@mailroom/contracts';
import { HandlesEvent } from '@mailroom/jetstream';
import { NewsletterSplitter } from './newsletter-splitter.service';
import { RetrySplitter } from './retry-splitter.service';

@Controller()
export class SplitHandler {
  constructor(
    private readonly splitter: NewsletterSplitter,
    private readonly retries: RetrySplitter,
  ) {}

  @HandlesEvent(Events.NewsletterRequested)
  async onRequested(@Payload() event: NewsletterRequestedEvent): Promise<void> {
    await this.splitter.split(event);
  }

  @HandlesEvent(Events.NewsletterRetryRequested)
  async onRetryRequested(@Payload() event: NewsletterRetryRequestedEvent): Promise<void> {
    await this.retries.split(event);
  }
}
