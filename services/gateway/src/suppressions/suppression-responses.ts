import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SUPPRESSION_REASONS, type SuppressionEntry, type SuppressionReason } from '@mailroom/contracts';
import type { Page } from '@mailroom/jetstream';

/** OpenAPI shapes of the suppression routes' answers. */

export class SuppressionViewDto implements SuppressionEntry {
  @ApiProperty({ example: 'ann@example.org' })
  readonly email!: string;

  @ApiProperty({ enum: SUPPRESSION_REASONS, example: 'unsubscribed' })
  readonly reason!: SuppressionReason;

  @ApiProperty({ format: 'date-time', description: 'When the address was suppressed.' })
  readonly at!: string;

  @ApiPropertyOptional({
    description: 'What caused it: the newsletter id of an unsubscribe or a bounce, or `api:<key name>` for an address added through the API.',
    example: '7f0c2a4e-1b2c-4d5e-8f90-0123456789ab',
  })
  readonly source?: string;

  @ApiPropertyOptional({ description: 'More about it, e.g. the SMTP reply of a hard bounce.', example: '550 5.1.1 No such user' })
  readonly detail?: string;
}

export class SuppressionPageDto implements Page<SuppressionEntry> {
  @ApiProperty({ type: [SuppressionViewDto] })
  readonly items!: SuppressionViewDto[];

  @ApiProperty({ type: 'integer', nullable: true, description: 'Pass as `after` for the next page; null on the last page.' })
  readonly next!: number | null;
}
