import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Events, NewsletterRequestedEvent } from '@mailroom/contracts';
import { NewsletterSplitter } from './newsletter-splitter.service';

@Controller()
export class SplitHandler {
  constructor(private readonly splitter: NewsletterSplitter) {}

  @EventPattern(Events.NewsletterRequested)
  async onRequested(@Payload() event: NewsletterRequestedEvent): Promise<void> {
    await this.splitter.split(event);
  }
}
