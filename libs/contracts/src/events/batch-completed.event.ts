import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { ROUND_PATTERN } from './newsletter-round.event';
import { NewsletterEvent } from './event-base';

class RecipientFailure {
  @IsString()
  email!: string;

  /** SMTP reply code when the server gave one (550, 451 …). */
  @IsOptional()
  @IsInt()
  code?: number;

  @IsString()
  reason!: string;

  /** True for a 5xx reply, or no reply to the end of DATA (perhaps delivered): never retried. */
  @IsBoolean()
  permanent!: boolean;

  /**
   * SMTP attempts. 0 when the recipient was deferred for longer than the sender's maximum age
   * without any provider to try (every circuit breaker open); older senders never sent 0.
   */
  @IsInt()
  @Min(0)
  attempts!: number;
}

/** Final outcome of one batch (after its retries); the tracker folds it into the newsletter. */
export class BatchCompletedEvent extends NewsletterEvent {
  @IsInt()
  @Min(0)
  batchIndex!: number;

  @IsInt()
  @Min(0)
  sent!: number;

  @IsInt()
  @Min(0)
  failed!: number;

  /** Skipped because the address is on the suppression list. */
  @IsInt()
  @Min(0)
  suppressed!: number;

  /** Not sent because the newsletter was cancelled. */
  @IsOptional()
  @IsInt()
  @Min(0)
  cancelled?: number;

  /** The round this result belongs to (absent: the first pass). In a round, `sent` counts recipients recovered from failure. */
  @IsOptional()
  @Matches(ROUND_PATTERN)
  round?: string;

  @ValidateNested({ each: true })
  @Type(() => RecipientFailure)
  failures!: RecipientFailure[];
}
