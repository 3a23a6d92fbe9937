import { IsISO8601, IsInt, IsOptional, IsUUID, Min } from 'class-validator';

/** Every event names the newsletter it is about and when the fact happened. */
export abstract class NewsletterEvent {
  @IsUUID()
  newsletterId!: string;

  @IsISO8601()
  occurredAt!: string;
}

/** A newsletter event that carries its recipient counts so far (progress, completion). */
export abstract class NewsletterCountsEvent extends NewsletterEvent {
  @IsInt()
  @Min(0)
  total!: number;

  @IsInt()
  @Min(0)
  sent!: number;

  @IsInt()
  @Min(0)
  failed!: number;

  @IsInt()
  @Min(0)
  suppressed!: number;

  /** Hard bounces after acceptance counted so far (feedback service); absent from older trackers. */
  @IsOptional()
  @IsInt()
  @Min(0)
  bounced?: number;

  /** Spam complaints counted so far; absent from older trackers. */
  @IsOptional()
  @IsInt()
  @Min(0)
  complained?: number;

  /** Recipients who opened (tracked newsletters; machine opens apart), clicked, every click, machine opens; absent from older trackers. */
  @IsOptional()
  @IsInt()
  @Min(0)
  opens?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  clicks?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  clicksTotal?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  machineOpens?: number;

  /** Recipients who unsubscribed through the newsletter's link, each once; absent from older trackers. */
  @IsOptional()
  @IsInt()
  @Min(0)
  unsubscribes?: number;
}
