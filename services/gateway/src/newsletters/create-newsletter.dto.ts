import { Transform, Type, plainToInstance } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
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
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  @IsBareAddressText()
  email!: string;

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
  @IsString()
  @IsNotEmpty()
  @MaxLength(998)
  @IsSingleLine()
  subject!: string;

  @ValidateIf((o: CreateNewsletterDto) => o.html !== undefined || o.text === undefined)
  @IsString({ message: 'html or text is required' })
  @IsNotEmpty({ message: 'html or text is required' })
  html?: string;

  @ValidateIf((o: CreateNewsletterDto) => o.text !== undefined)
  @IsString()
  @IsNotEmpty()
  text?: string;

  @IsOptional()
  @IsString()
  @IsFromAddress()
  from?: string;

  @IsArray()
  @ArrayMinSize(1, { message: 'recipients must contain at least one recipient' })
  @toRecipientInputs()
  @ValidateNested({ each: true })
  @Type(() => RecipientInput)
  recipients!: RecipientInput[];

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  batchSize?: number;
}
