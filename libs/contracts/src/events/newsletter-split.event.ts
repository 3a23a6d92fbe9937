import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { NewsletterEvent } from './event-base';

/** The splitter started reading the list. */
export class NewsletterSplitStartedEvent extends NewsletterEvent {}

export class InvalidRecipient {
  @IsString()
  @MaxLength(1024)
  address!: string;

  @IsString()
  reason!: string;
}

/** Every batch of the newsletter is published; the totals are final. */
export class NewsletterSplitEvent extends NewsletterEvent {
  /** Unique recipients, valid or not: what the status reports as `total`. */
  @IsInt()
  @Min(0)
  total!: number;

  @IsInt()
  @Min(0)
  batches!: number;

  /** Recipients dropped because the same address appeared earlier in the list. */
  @IsInt()
  @Min(0)
  duplicates!: number;

  /** Addresses that cannot be sent to; counted as failed. Listed up to a cap, counted in full. */
  @IsInt()
  @Min(0)
  invalid!: number;

  /** Recipients left out because they are on the suppression list. */
  @IsInt()
  @Min(0)
  suppressed!: number;

  @ValidateNested({ each: true })
  @Type(() => InvalidRecipient)
  invalidSample!: InvalidRecipient[];

  /**
   * The newsletter was cancelled before or while its list was read: `batches` are the ones
   * published before it stopped (maybe none), the counts cover only what was read.
   */
  @IsOptional()
  @IsBoolean()
  stopped?: boolean;
}

/** The newsletter could not be split at all (its stored list or body is unreadable). */
export class NewsletterSplitFailedEvent extends NewsletterEvent {
  @IsString()
  reason!: string;
}
