import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { NewsletterEvent } from './event-base';
import { IsRecipientList, type Recipient } from './recipient';
import { ROUND_PATTERN } from './newsletter-round.event';

/** One slice of a newsletter's list, ready to send; published by the splitter, consumed by senders. */
export class BatchReadyEvent extends NewsletterEvent {
  @IsInt()
  @Min(0)
  batchIndex!: number;

  @IsString()
  contentObject!: string;

  @IsRecipientList()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  recipients!: Recipient[];

  /**
   * Absent on the first pass. Set on a re-send round (retry-failed, re-drive): recipients that
   * failed transiently are tried again; accepted, permanently failed and suppressed ones never are.
   */
  @IsOptional()
  @Matches(ROUND_PATTERN)
  round?: string;
}
