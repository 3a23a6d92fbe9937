import { IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { MAX_TRACKED_URL_LENGTH } from '../engagement/tracking-tokens';
import { NewsletterEvent } from './event-base';

export const ENGAGEMENT_KINDS = ['open', 'click'] as const;
export type EngagementKind = (typeof ENGAGEMENT_KINDS)[number];

/**
 * A recipient opened a tracked newsletter (its pixel was loaded) or followed one of its tracked
 * links. Published by the gateway after checking the token, before it answers; every one counts
 * towards `clicksTotal`, the first of each kind per recipient towards `opens` / `clicks`.
 */
export class EngagementRecordedEvent extends NewsletterEvent {
  @IsIn(ENGAGEMENT_KINDS)
  kind!: EngagementKind;

  @IsInt()
  @Min(0)
  batchIndex!: number;

  /** The recipient (from the sealed token; the ledger entry's key). */
  @IsString()
  @MaxLength(320)
  email!: string;

  /** A click's original URL. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TRACKED_URL_LENGTH)
  url?: string;

  /** An open made by a machine, not a reader (a mail privacy proxy fetching every image): counted apart. */
  @IsOptional()
  @IsBoolean()
  machine?: boolean;
}
