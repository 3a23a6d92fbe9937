import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsMailboxAddress, SUPPRESSION_REASONS, type SuppressionReason } from '@mailroom/contracts';

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
}
