import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Page } from '@mailroom/jetstream';
import type { DeadLetterView, Redrive } from './dead-letters.service';

/** OpenAPI shapes of the dead-letter routes' answers. */

export class DeadLetterViewDto implements DeadLetterView {
  @ApiProperty({ description: 'Use in `POST /v1/dead-letters/{id}/redrive`.', example: 12 })
  readonly id!: number;

  @ApiProperty({ type: 'string', nullable: true, example: 'batch.ready' })
  readonly event!: string | null;

  @ApiProperty({ type: 'string', nullable: true, format: 'uuid' })
  readonly newsletterId!: string | null;

  @ApiProperty({ example: 'max deliveries' })
  readonly reason!: string;

  @ApiProperty({ example: 5 })
  readonly deliveries!: number;

  @ApiProperty()
  readonly originalSubject!: string;

  @ApiProperty()
  readonly originalStream!: string;

  @ApiProperty({ format: 'date-time' })
  readonly deadAt!: string;
}

export class DeadLetterPageDto implements Page<DeadLetterView> {
  @ApiProperty({ type: [DeadLetterViewDto] })
  readonly items!: DeadLetterViewDto[];

  @ApiProperty({ type: 'integer', nullable: true, description: 'Pass as `after` for the next page; null on the last page.' })
  readonly next!: number | null;
}

export class RedriveDto implements Redrive {
  @ApiProperty({ example: 12 })
  readonly id!: number;

  @ApiProperty()
  readonly subject!: string;

  @ApiPropertyOptional({ description: 'The re-send round a re-driven batch runs in.', example: 'redrive-12' })
  readonly round?: string;
}
