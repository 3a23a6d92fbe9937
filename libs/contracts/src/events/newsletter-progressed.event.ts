import { IsInt, Max, Min } from 'class-validator';
import { NewsletterEvent } from './event-base';

/** A newsletter crossed a progress step (every PROGRESS_STEP_PERCENT of its recipients settled). */
export class NewsletterProgressedEvent extends NewsletterEvent {
  @IsInt()
  @Min(1)
  @Max(100)
  percent!: number;

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
