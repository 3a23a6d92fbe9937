import { IsISO8601, IsUUID } from 'class-validator';

/** Every event names the newsletter it is about and when the fact happened. */
export abstract class NewsletterEvent {
  @IsUUID()
  newsletterId!: string;

  @IsISO8601()
  occurredAt!: string;
}
