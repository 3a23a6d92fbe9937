import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NEWSLETTER_STATUSES, type NewsletterStatus, type NewsletterView } from '@mailroom/contracts';

/** OpenAPI shapes of the newsletter routes' answers; `implements` keeps them in step with the contract. */

export class NewsletterAcceptedDto {
  @ApiProperty({ format: 'uuid', example: '7f0c2a4e-1b5d-4c1e-9a51-3f2d8e6b9c10' })
  readonly id!: string;

  @ApiProperty({ enum: ['queued', 'scheduled'], example: 'queued' })
  readonly status!: 'queued' | 'scheduled';
}

class BatchesDto {
  @ApiProperty({ type: 'integer', nullable: true, description: 'null until the list is split', example: 1 })
  readonly total!: number | null;

  @ApiProperty({ example: 1 })
  readonly completed!: number;

  @ApiProperty({ example: 0 })
  readonly deadLettered!: number;
}

class RoundDto {
  @ApiProperty({ example: 'r1' })
  readonly id!: string;

  @ApiProperty({ type: 'integer', nullable: true, example: 1 })
  readonly batches!: number | null;

  @ApiProperty({ example: 1 })
  readonly completed!: number;

  @ApiProperty({ format: 'date-time' })
  readonly requestedAt!: string;
}

export class NewsletterViewDto implements NewsletterView {
  @ApiProperty({ format: 'uuid', example: '7f0c2a4e-1b5d-4c1e-9a51-3f2d8e6b9c10' })
  readonly id!: string;

  @ApiProperty({ enum: NEWSLETTER_STATUSES, example: 'completed' })
  readonly status!: NewsletterStatus;

  @ApiProperty({ description: 'Unique recipients once split; the submitted count before that.', example: 2 })
  readonly total!: number;

  @ApiProperty({ example: 2 })
  readonly sent!: number;

  @ApiProperty({ example: 0 })
  readonly failed!: number;

  @ApiProperty({ description: 'Skipped: on the suppression list.', example: 0 })
  readonly suppressed!: number;

  @ApiProperty({ description: 'Not sent: the newsletter was cancelled.', example: 0 })
  readonly cancelled!: number;

  @ApiProperty({ example: 0 })
  readonly pending!: number;

  @ApiProperty({ example: 0 })
  readonly duplicates!: number;

  @ApiProperty({ type: BatchesDto })
  readonly batches!: BatchesDto;

  @ApiProperty({ type: [RoundDto], description: 'Re-send rounds (retry-failed, re-drive) and their progress.' })
  readonly rounds!: RoundDto[];

  @ApiProperty({ format: 'date-time' })
  readonly createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When a scheduled newsletter starts; null when it started at once.' })
  readonly sendAt!: string | null;

  @ApiProperty({ description: 'A test send (no list, no suppression list).', example: false })
  readonly test!: boolean;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When sending started (the split began).' })
  readonly startedAt!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When it settled; null while running.' })
  readonly completedAt!: string | null;

  @ApiProperty({ description: 'Recipients settled per second over the last minute.', example: 120.5 })
  readonly ratePerSecond!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Estimated seconds left at the current rate; null when settled or not moving.' })
  readonly etaSeconds!: number | null;

  @ApiPropertyOptional({ description: 'Why the newsletter failed as a whole, when it did.' })
  readonly error?: string;
}
