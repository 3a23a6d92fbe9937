import { IsIn, IsOptional } from 'class-validator';
import { NewsletterCountsEvent } from './event-base';
import { CANCEL_REASONS, FINAL_STATUSES, type CancelReason, type FinalStatus } from '../newsletters/newsletter-status';

/** The newsletter settled; drives webhooks and dashboards. */
export class NewsletterCompletedEvent extends NewsletterCountsEvent {
  @IsIn(FINAL_STATUSES)
  status!: FinalStatus;

  /** Status `cancelled` by Mailroom itself: why (see CANCEL_REASONS); absent when a caller cancelled it, and from older trackers. */
  @IsOptional()
  @IsIn(CANCEL_REASONS)
  cancelReason?: CancelReason;
}
