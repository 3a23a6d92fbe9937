import { IsInt, Min } from 'class-validator';
import { NewsletterEvent } from './event-base';

/** A paused newsletter was resumed: its parked batches go back to the senders. */
export class NewsletterResumeRequestedEvent extends NewsletterEvent {
  /** The control generation of the resume; a later pause or resume supersedes it. */
  @IsInt()
  @Min(1)
  generation!: number;
}

/** A newsletter was cancelled: no more of it is sent; what was not sent counts as cancelled. */
export class NewsletterCancelledEvent extends NewsletterEvent {}
