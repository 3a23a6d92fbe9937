import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform, Type, plainToInstance } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsBareAddressText, IsFromAddress, IsSingleLine } from './text-rules';

export class RecipientInput {
  @ApiProperty({ description: 'One bare address: no display name, no list.', example: 'bob@example.org', maxLength: 320 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  @IsBareAddressText()
  email!: string;

  @ApiPropertyOptional({ description: 'Display name; one line.', example: 'Bob', maxLength: 256 })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @IsSingleLine()
  name?: string;
}

/** Recipients may be given as bare strings or as `{ email, name? }`. */
const toRecipientInputs = () =>
  Transform(({ value }: { value: unknown }) =>
    Array.isArray(value)
      ? value.map((item: unknown) =>
          typeof item === 'object' && item !== null && !Array.isArray(item)
            ? plainToInstance(RecipientInput, item)
            : plainToInstance(RecipientInput, { email: item }),
        )
      : value,
  );

export class CreateNewsletterDto {
  @ApiProperty({ description: 'One line (no CR, LF or control characters).', example: 'November news', maxLength: 998 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(998)
  @IsSingleLine()
  subject!: string;

  @ApiPropertyOptional({ description: 'HTML body. `html`, `text` or both.', example: '<h1>Hello</h1><p>What happened this month…</p>' })
  @ValidateIf((o: CreateNewsletterDto) => o.html !== undefined || o.text === undefined)
  @IsString({ message: 'html or text is required' })
  @IsNotEmpty({ message: 'html or text is required' })
  html?: string;

  @ApiPropertyOptional({ description: 'Plain-text body.', example: 'Hello. What happened this month…' })
  @ValidateIf((o: CreateNewsletterDto) => o.text !== undefined)
  @IsString()
  @IsNotEmpty()
  text?: string;

  @ApiPropertyOptional({
    description: '`addr` or `Name <addr>`; must be allowed by `ALLOWED_FROM` (403 otherwise). Default: `DEFAULT_FROM`.',
    example: 'Acme News <news@acme.example>',
  })
  @IsOptional()
  @IsString()
  @IsFromAddress()
  from?: string;

  @ApiProperty({
    description: '1 to `MAX_INLINE_RECIPIENTS` recipients, each a bare address or `{ email, name? }`.',
    type: 'array',
    items: { oneOf: [{ type: 'string', example: 'ann@example.org' }, { $ref: getSchemaPath(RecipientInput) }] },
    example: ['ann@example.org', { email: 'bob@example.org', name: 'Bob' }],
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'recipients must contain at least one recipient' })
  @toRecipientInputs()
  @ValidateNested({ each: true })
  @Type(() => RecipientInput)
  recipients!: RecipientInput[];

  @ApiPropertyOptional({ description: 'Recipients per batch.', minimum: 1, maximum: 1000, default: 100, example: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  batchSize?: number;

  @ApiPropertyOptional({
    description: 'Most emails per second for this newsletter over all senders; the lower of this and the provider rate applies.',
    minimum: 0.1,
    maximum: 100000,
    example: 20,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(100_000)
  ratePerSecond?: number;

  @ApiPropertyOptional({
    description:
      'Called when the newsletter settles. http(s) only, no credentials; loopback, private, link-local and ' +
      'unique-local targets (also by DNS) are refused unless `WEBHOOK_ALLOW_PRIVATE` or `WEBHOOK_ALLOWED_HOSTS` allow them.',
    example: 'https://hooks.acme.example/mailroom',
    maxLength: 2048,
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsSingleLine()
  webhookUrl?: string;
}
