import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { NewsletterEvent } from './event-base';
import { Recipient } from './recipient';

/** One slice of a newsletter's list, ready to send; published by the splitter, consumed by senders. */
export class BatchReadyEvent extends NewsletterEvent {
  @IsInt()
  @Min(0)
  batchIndex!: number;

  @IsString()
  contentObject!: string;

  @ValidateNested({ each: true })
  @Type(() => Recipient)
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  recipients!: Recipient[];
}
