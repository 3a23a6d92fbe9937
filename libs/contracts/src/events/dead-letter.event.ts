import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Min } from 'class-validator';

/**
 * A message that could not be processed, kept with why. The original body travels as text
 * (`utf8`, all our contracts are JSON) or `base64` when it was not valid UTF-8.
 */
export class DeadLetterEvent {
  @IsString()
  originalSubject!: string;

  @IsString()
  originalStream!: string;

  @IsInt()
  @Min(1)
  originalSequence!: number;

  @IsInt()
  @Min(0)
  deliveries!: number;

  @IsString()
  reason!: string;

  @IsISO8601()
  deadAt!: string;

  @IsIn(['utf8', 'base64'])
  encoding!: 'utf8' | 'base64';

  @IsString()
  payload!: string;

  /** The newsletter, when the body or the subject still tells it. */
  @IsOptional()
  @IsString()
  newsletterId?: string;
}

/** JetStream's `io.nats.jetstream.advisory.v1.max_deliver` advisory (the fields we use). */
export class MaxDeliveriesAdvisory {
  @IsString()
  stream!: string;

  @IsString()
  consumer!: string;

  @IsInt()
  @Min(1)
  stream_seq!: number;

  @IsInt()
  @Min(0)
  deliveries!: number;
}
