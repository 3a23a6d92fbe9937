import { IsInt, IsString, Max, Min } from 'class-validator';
import { NewsletterEvent } from './event-base';

/** Published by the gateway once the body and the list are stored; consumed by the splitter. */
export class NewsletterRequestedEvent extends NewsletterEvent {
  /** Object name of the NewsletterContent document in the content store. */
  @IsString()
  contentObject!: string;

  /** Object name of the recipient list (NDJSON, one `{email, name?}` per line). */
  @IsString()
  recipientsObject!: string;

  /** Recipients as submitted, before de-duplication. */
  @IsInt()
  @Min(1)
  submittedRecipients!: number;

  @IsInt()
  @Min(1)
  @Max(1000)
  batchSize!: number;
}
