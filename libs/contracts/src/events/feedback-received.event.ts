import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { NewsletterEvent } from './event-base';

export const FEEDBACK_KINDS = ['bounce', 'complaint'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** A hard bounce (the address does not exist, 5.x.x) suppresses at once; a soft one (4.x.x) does not. */
export const BOUNCE_TYPES = ['hard', 'soft'] as const;
export type BounceType = (typeof BOUNCE_TYPES)[number];

/** Where the report came from: a DSN or ARF mailed to the feedback service, or a provider's webhook. */
export const FEEDBACK_SOURCES = ['smtp', 'ses', 'sendgrid', 'mailgun', 'postmark'] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];

/**
 * A recipient of a newsletter bounced after the provider had accepted the message, or complained
 * (marked it as spam). Published by the feedback service once the report was verified to name a
 * recipient we mailed (a signed bounce address or Message-ID whose address-hash prefix matches);
 * msgID `feedback:<reportId>`, so a report received twice counts once.
 */
export class FeedbackReceivedEvent extends NewsletterEvent {
  /** Stable id of the report (a hash of the raw message, or the provider's event id). */
  @IsString()
  @Matches(/^[A-Za-z0-9_:.-]{1,128}$/)
  reportId!: string;

  @IsIn(FEEDBACK_KINDS)
  kind!: FeedbackKind;

  /** For bounces. */
  @IsOptional()
  @IsIn(BOUNCE_TYPES)
  bounceType?: BounceType;

  @IsInt()
  @Min(0)
  batchIndex!: number;

  /** The recipient as the report names it (matched against the signed address-hash prefix). */
  @IsString()
  @MaxLength(320)
  email!: string;

  /** The enhanced status code of a DSN (`5.1.1`), or the provider's. */
  @IsOptional()
  @IsString()
  @MaxLength(16)
  status?: string;

  /** The report's diagnostic, short (`550 5.1.1 user unknown`); never the message itself. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  detail?: string;

  @IsIn(FEEDBACK_SOURCES)
  source!: FeedbackSource;
}
