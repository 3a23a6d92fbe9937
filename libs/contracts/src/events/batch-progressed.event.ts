import { IsInt, Min } from 'class-validator';
import { NewsletterEvent } from './event-base';

/**
 * How far a first-pass batch in a sender's hands has got: its recipients settled so far
 * (cumulative, not a difference), published every BATCH_PROGRESS_INTERVAL_MS while it changes.
 * The tracker shows them until the batch's `batch.completed` replaces them; a late or repeated
 * one changes nothing.
 */
export class BatchProgressedEvent extends NewsletterEvent {
  @IsInt()
  @Min(0)
  batchIndex!: number;

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
