import { IsInt, Matches, Min } from 'class-validator';
import { NewsletterEvent } from './event-base';

/** Round ids: `r<n>` for retry-failed, `redrive-<dead letter id>` for a re-driven batch. */
export const ROUND_PATTERN = /^(r\d+|redrive-\d+)$/;

/** The gateway asks for the transiently failed recipients of a settled newsletter to be sent again. */
export class NewsletterRetryRequestedEvent extends NewsletterEvent {
  @Matches(ROUND_PATTERN)
  round!: string;
}

/** A re-send round's batches are all published; the newsletter is sending again until they settle. */
export class NewsletterRoundStartedEvent extends NewsletterEvent {
  @Matches(ROUND_PATTERN)
  round!: string;

  @IsInt()
  @Min(0)
  batches!: number;

  @IsInt()
  @Min(0)
  recipients!: number;
}
