import { IsInt, Max, Min } from 'class-validator';
import { NewsletterCountsEvent } from './event-base';

/** A newsletter crossed a progress step (every PROGRESS_STEP_PERCENT of its recipients settled). */
export class NewsletterProgressedEvent extends NewsletterCountsEvent {
  @IsInt()
  @Min(1)
  @Max(100)
  percent!: number;
}
