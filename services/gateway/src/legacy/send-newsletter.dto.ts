import { IsArray, IsNotEmpty, IsString, ArrayMinSize, MaxLength } from 'class-validator';
import { IsBareAddressText, IsSingleLine } from '../newsletters/text-rules';

/** The request of the tutorial Mailroom replaces: `content` is HTML, the list holds addresses. */
export class SendNewsletterDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(998)
  @IsSingleLine()
  subject!: string;

  @IsString()
  @IsNotEmpty()
  content!: string;

  @IsArray()
  @ArrayMinSize(1, { message: 'subscriberList must contain at least one address' })
  @IsString({ each: true, message: 'subscriberList must contain only strings' })
  @MaxLength(320, { each: true })
  @IsBareAddressText({ each: true, message: 'subscriberList must contain single bare email addresses' })
  subscriberList!: string[];
}
