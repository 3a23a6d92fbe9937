import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsMailboxAddress, SUPPRESSION_REASONS, type SuppressionReason } from '@mailroom/contracts';
import { PageQueryDto } from '../http/page-query.dto';

/** The lists an API caller names: its tenant's, or the global one. */
export const SUPPRESSION_LIST_SCOPES = ['tenant', 'global'] as const;
export type SuppressionListScope = (typeof SUPPRESSION_LIST_SCOPES)[number];

export class CreateSuppressionDto {
  @ApiProperty({ description: 'One bare address; normalised (trimmed, domain lower-cased) before it is stored.', example: 'ann@example.org', maxLength: 320 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  @IsMailboxAddress()
  email!: string;

  @ApiPropertyOptional({ enum: SUPPRESSION_REASONS, default: 'manual', example: 'manual' })
  @IsOptional()
  @IsIn(SUPPRESSION_REASONS, { message: `reason must be one of ${SUPPRESSION_REASONS.join(', ')}` })
  reason?: SuppressionReason;

  @ApiPropertyOptional({
    enum: SUPPRESSION_LIST_SCOPES,
    default: 'tenant',
    description: "Which list: the caller's tenant's (its newsletters skip the address), or the global one (every tenant's do; needs the `admin` scope).",
  })
  @IsOptional()
  @IsIn(SUPPRESSION_LIST_SCOPES, { message: `scope must be one of ${SUPPRESSION_LIST_SCOPES.join(', ')}` })
  scope?: SuppressionListScope;
}

const SCOPE_QUERY = { enum: SUPPRESSION_LIST_SCOPES, default: 'tenant', description: "The caller's tenant's list, or the global one (`admin` scope)." };
const SCOPE_MESSAGE = { message: `scope must be one of ${SUPPRESSION_LIST_SCOPES.join(', ')}` };

/** `?scope=` of DELETE /v1/suppressions/:email. */
export class SuppressionScopeQueryDto {
  @ApiPropertyOptional(SCOPE_QUERY)
  @IsOptional()
  @IsIn(SUPPRESSION_LIST_SCOPES, SCOPE_MESSAGE)
  scope?: SuppressionListScope;
}

/** `?scope=&limit=&after=` of GET /v1/suppressions. */
export class SuppressionPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional(SCOPE_QUERY)
  @IsOptional()
  @IsIn(SUPPRESSION_LIST_SCOPES, SCOPE_MESSAGE)
  scope?: SuppressionListScope;
}

