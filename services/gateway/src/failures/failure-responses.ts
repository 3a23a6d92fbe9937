import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Page } from '@mailroom/jetstream';
import type { FailureView } from './failures.service';

/** OpenAPI shapes of the failures routes' answers. */

export class FailureViewDto implements FailureView {
  @ApiProperty({ example: 'ann@example.org' })
  readonly email!: string;

  @ApiProperty({ description: 'The batch it was sent in; -1 for an address refused before batching.', example: 0 })
  readonly batchIndex!: number;

  @ApiPropertyOptional({ description: 'SMTP reply code, when there was one.', example: 550 })
  readonly code?: number;

  @ApiProperty({ example: '550 No such user' })
  readonly reason!: string;

  @ApiProperty({ description: 'true: never retried (5xx, invalid address).', example: true })
  readonly permanent!: boolean;

  @ApiProperty({ example: 1 })
  readonly attempts!: number;

  @ApiProperty({ format: 'date-time' })
  readonly at!: string;
}

export class FailurePageDto implements Page<FailureView> {
  @ApiProperty({ type: [FailureViewDto] })
  readonly items!: FailureViewDto[];

  @ApiProperty({ type: 'integer', nullable: true, description: 'Pass as `after` for the next page; null on the last page.' })
  readonly next!: number | null;
}

export class RetryStartedDto {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty({ example: 'r1' })
  readonly round!: string;

  @ApiProperty({ enum: ['sending'], example: 'sending' })
  readonly status!: 'sending';
}
