import { IsIn, IsInt, Min } from 'class-validator';
import { NewsletterEvent } from './event-base';
import { FINAL_STATUSES, type FinalStatus } from '../newsletters/newsletter-status';

/** The newsletter settled; drives webhooks and dashboards. */
export class NewsletterCompletedEvent extends NewsletterEvent {
  @IsIn(FINAL_STATUSES)
  status!: FinalStatus;

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
}
