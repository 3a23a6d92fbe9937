import { ApiProperty } from '@nestjs/swagger';
import { SUPPRESSION_LIST_SCOPES, type SuppressionListScope } from '../suppressions/create-suppression.dto';

/** OpenAPI shapes of the newsletter routes' answers (the newsletter itself: NewsletterView in @mailroom/contracts). */

export class NewsletterAcceptedDto {
  @ApiProperty({ format: 'uuid', example: '7f0c2a4e-1b5d-4c1e-9a51-3f2d8e6b9c10' })
  readonly id!: string;

  @ApiProperty({ enum: ['queued', 'scheduled'], example: 'queued' })
  readonly status!: 'queued' | 'scheduled';
}

/** A test recipient left out because a suppression list has the address. */
export class SkippedRecipientDto {
  @ApiProperty({ example: 'ann@example.org', description: 'As normalised (domain lower-cased).' })
  readonly email!: string;

  @ApiProperty({ enum: SUPPRESSION_LIST_SCOPES, example: 'tenant', description: "The list that has it: the caller's tenant's, or the global one." })
  readonly list!: SuppressionListScope;
}

export class TestAcceptedDto {
  @ApiProperty({ format: 'uuid', example: '7f0c2a4e-1b5d-4c1e-9a51-3f2d8e6b9c10' })
  readonly id!: string;

  @ApiProperty({ enum: ['queued'], example: 'queued' })
  readonly status!: 'queued';

  @ApiProperty({ type: [SkippedRecipientDto], description: 'Recipients not sent to: on the tenant\'s or the global suppression list.' })
  readonly skipped!: SkippedRecipientDto[];
}
