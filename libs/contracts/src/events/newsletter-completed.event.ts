import { IsIn } from 'class-validator';
import { NewsletterCountsEvent } from './event-base';
import { FINAL_STATUSES, type FinalStatus } from '../newsletters/newsletter-status';

/** The newsletter settled; drives webhooks and dashboards. */
export class NewsletterCompletedEvent extends NewsletterCountsEvent {
  @IsIn(FINAL_STATUSES)
  status!: FinalStatus;
}
