import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsNotEmpty, IsString, ArrayMinSize, MaxLength } from 'class-validator';
import { IsMergeTemplate } from '@mailroom/contracts';
import { IsBareAddressText, IsSingleLine } from '../newsletters/text-rules';

/** The request of the tutorial Mailroom replaces: `content` is HTML, the list holds addresses. */
export class SendNewsletterDto {
  @ApiProperty({ description: 'One line.', example: 'November news', maxLength: 998 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(998)
  @IsSingleLine()
  @IsMergeTemplate('subject')
  subject!: string;

  @ApiProperty({ description: 'HTML body.', example: '<p>Hello</p>' })
  @IsString()
  @IsNotEmpty()
  @IsMergeTemplate('html')
  content!: string;

  @ApiProperty({ description: 'Bare addresses.', type: [String], example: ['ann@example.org', 'bob@example.org'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'subscriberList must contain at least one address' })
  @IsString({ each: true, message: 'subscriberList must contain only strings' })
  @MaxLength(320, { each: true })
  @IsBareAddressText({ each: true, message: 'subscriberList must contain single bare email addresses' })
  subscriberList!: string[];
}

export class LegacyAcceptedDto {
  @ApiProperty({ format: 'uuid', description: 'The newsletter id (`GET /v1/newsletters/{id}`).' })
  readonly jobId!: string;
}
