import { ApiProperty, PickType, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { CreateNewsletterDto, RecipientInput, toRecipientInputs } from './create-newsletter.dto';

/** Recipients of a test send at most: it is for the editor's eyes, not an audience. */
export const MAX_TEST_RECIPIENTS = 10;

/**
 * `POST /v1/newsletters/test`: the same content as a newsletter, sent right away to a few
 * addresses, bypassing lists and the suppression list, marked as a test.
 */
export class TestNewsletterDto extends PickType(CreateNewsletterDto, ['subject', 'html', 'text', 'from', 'replyTo', 'headers'] as const) {
  @ApiProperty({
    description: `1 to ${MAX_TEST_RECIPIENTS} recipients, each a bare address or \`{ email, name? }\`.`,
    type: 'array',
    items: { oneOf: [{ type: 'string', example: 'editor@acme.example' }, { $ref: getSchemaPath(RecipientInput) }] },
    example: ['editor@acme.example'],
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'recipients must contain at least one recipient' })
  @ArrayMaxSize(MAX_TEST_RECIPIENTS, { message: `recipients: a test goes to at most ${MAX_TEST_RECIPIENTS} addresses` })
  @toRecipientInputs()
  @ValidateNested({ each: true })
  @Type(() => RecipientInput)
  recipients!: RecipientInput[];
}
