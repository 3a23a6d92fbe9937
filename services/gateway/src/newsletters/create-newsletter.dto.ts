import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform, Type, plainToInstance } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CUSTOM_HEADER_LIMITS, DEFAULT_PRIORITY, IsCustomHeaders, IsMergeTemplate, IsRecipientVars, PRIORITIES, type Priority } from '@mailroom/contracts';
import { futureSendAt } from '../docs/openapi-examples';
import { IsInsteadOfRecipients } from '../lists/list-target.rules';
import { checkedRecipientInputs, isCheckedRecipientList, recipientsPlainlyValid } from './recipient-inputs';
import { IsBareAddressText, IsFromAddress, IsSingleLine } from './text-rules';
import type { PlainlyCheckedList } from '../http/validation.pipe';

export class TrackingInput {
  @ApiPropertyOptional({ description: 'Add a 1×1 pixel: loading it counts an open.', example: true })
  @IsOptional()
  @IsBoolean({ message: 'tracking.opens must be true or false' })
  opens?: boolean;

  @ApiPropertyOptional({ description: 'Send every http(s) link through a signed redirect that counts the click.', example: true })
  @IsOptional()
  @IsBoolean({ message: 'tracking.clicks must be true or false' })
  clicks?: boolean;
}

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

  @ApiPropertyOptional({
    description: 'Merge fields of this recipient (`{{ city }}` in a template), strings only; at most 50, 8000 characters in all.',
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { city: 'Lyon' },
  })
  @IsOptional()
  @IsRecipientVars()
  vars?: Record<string, string>;
}

/**
 * Recipients may be given as bare strings or as `{ email, name? }`. With `skipCheckedItems`, a
 * list that `recipientsPlainlyValid` passes becomes plain objects, remembered as checked (the
 * property's validation is then skipped by `@ValidateIf`, see CreateNewsletterDto); anything else becomes RecipientInput
 * instances for class-validator to check and name the bad field.
 */
export const toRecipientInputs = (options: { readonly skipCheckedItems?: boolean } = {}) =>
  Transform(({ value }: { value: unknown }) => {
    if (!Array.isArray(value)) return value;
    if (options.skipCheckedItems && recipientsPlainlyValid(value)) return checkedRecipientInputs(value);
    return value.map((item: unknown) =>
      typeof item === 'object' && item !== null && !Array.isArray(item)
        ? plainToInstance(RecipientInput, item)
        : plainToInstance(RecipientInput, { email: item }),
    );
  });

export class CreateNewsletterDto {
  /** A large inline list that passes the plain check skips class-transformer (see PlainlyCheckedList). */
  static readonly plainlyCheckedList: PlainlyCheckedList = {
    field: 'recipients',
    accept: (items) => (recipientsPlainlyValid(items) ? checkedRecipientInputs(items) : undefined),
  };

  @ApiProperty({ description: 'One line (no CR, LF or control characters).', example: 'November news', maxLength: 998 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(998)
  @IsSingleLine()
  @IsMergeTemplate('subject')
  subject!: string;

  @ApiPropertyOptional({ description: 'HTML body. `html`, `text` or both.', example: '<h1>Hello</h1><p>What happened this month…</p>' })
  @ValidateIf((o: CreateNewsletterDto) => o.html !== undefined || o.text === undefined)
  @IsString({ message: 'html or text is required' })
  @IsNotEmpty({ message: 'html or text is required' })
  @IsMergeTemplate('html')
  html?: string;

  @ApiPropertyOptional({ description: 'Plain-text body.', example: 'Hello. What happened this month…' })
  @ValidateIf((o: CreateNewsletterDto) => o.text !== undefined)
  @IsString()
  @IsNotEmpty()
  @IsMergeTemplate('text')
  text?: string;

  @ApiPropertyOptional({
    description: '`addr` or `Name <addr>`; must be allowed by `ALLOWED_FROM` (403 otherwise). Default: `DEFAULT_FROM`.',
    example: 'Acme News <news@acme.example>',
  })
  @IsOptional()
  @IsString()
  @IsFromAddress()
  from?: string;

  @ApiPropertyOptional({
    description: 'Reply-To of every email: one address, `addr` or `Name <addr>` (any domain; not checked against `ALLOWED_FROM`).',
    example: 'Acme Support <support@acme.example>',
    maxLength: 320,
  })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  @IsFromAddress()
  replyTo?: string;

  @ApiPropertyOptional({
    description:
      `Custom headers of every email: at most ${CUSTOM_HEADER_LIMITS.maxHeaders}, names \`X-\` followed by letters, digits and hyphens ` +
      `(at most ${CUSTOM_HEADER_LIMITS.maxNameLength} characters; not \`X-Mailroom-*\`, nor SMTP-provider instructions such as ` +
      `\`X-SMTPAPI\`, \`X-SES-*\`, \`X-Mailgun-*\`), values one line of at most ${CUSTOM_HEADER_LIMITS.maxValueLength} characters. ` +
      'Anything else: 400 naming the header.',
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'X-Campaign': 'spring-2026' },
  })
  @IsOptional()
  @IsCustomHeaders()
  headers?: Record<string, string>;

  @ApiPropertyOptional({
    description:
      '1 to `MAX_INLINE_RECIPIENTS` recipients, each a bare address or `{ email, name? }`. Exactly one of `recipients` ' +
      'and `listId`; larger audiences go through a subscriber list.',
    type: 'array',
    items: { oneOf: [{ type: 'string', example: 'ann@example.org' }, { $ref: getSchemaPath(RecipientInput) }] },
    example: ['ann@example.org', { email: 'bob@example.org', name: 'Bob' }],
  })
  // Checked when given or needed, except a list every item of which already passed the plain check.
  @ValidateIf((o: CreateNewsletterDto) => (o.recipients !== undefined || o.listId === undefined) && !isCheckedRecipientList(o.recipients))
  @IsDefined({ message: 'recipients or listId is required (the recipients inline, or the id of a subscriber list)' })
  @IsArray()
  @ArrayMinSize(1, { message: 'recipients must contain at least one recipient' })
  @toRecipientInputs({ skipCheckedItems: true })
  @ValidateNested({ each: true })
  @Type(() => RecipientInput)
  recipients?: RecipientInput[];

  @ApiPropertyOptional({
    description:
      'Send to this subscriber list (`POST /v1/lists`) instead of `recipients`. The list as it is at submit time: ' +
      'imports that finish later do not join this newsletter. 404 for an unknown list, 409 for an empty one.',
    format: 'uuid',
    example: '0b6f3c1e-8a7d-4f0e-9c2b-5d4a3e2f1a00',
  })
  @ValidateIf((o: CreateNewsletterDto) => o.listId !== undefined)
  @IsUUID('all', { message: 'listId must be a list id (a UUID)' })
  @IsInsteadOfRecipients()
  listId?: string;

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

  @ApiPropertyOptional({
    description:
      'Start at this time instead of now (ISO 8601 with `Z` or an offset, in the future, within a year): the newsletter waits as `scheduled`, ' +
      'survives restarts, and can be cancelled before it starts.',
    example: futureSendAt(new Date()),
    format: 'date-time',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  sendAt?: string;

  @ApiPropertyOptional({
    description:
      'Share of the sending capacity while other newsletters of the same tenant are sent at once: high 4, normal 2, low 1 (weights). ' +
      'Test sends and newsletters to one recipient take the fast lane whatever their priority.',
    enum: PRIORITIES,
    default: DEFAULT_PRIORITY,
    example: 'high',
  })
  @IsOptional()
  @IsIn(PRIORITIES, { message: `priority must be one of the following values: ${PRIORITIES.join(', ')}` })
  priority?: Priority;

  @ApiPropertyOptional({
    description:
      'Open and click tracking for this newsletter (absent: the deployment\'s TRACKING_DEFAULT, `none` unless configured). ' +
      'With `clicks`, every http(s) link of the HTML goes through a signed redirect; with `opens`, a 1×1 pixel is added. See docs/api.md#tracking.',
    type: () => TrackingInput,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => TrackingInput)
  tracking?: TrackingInput;

  @ApiPropertyOptional({
    description:
      'Also post this newsletter\'s per-recipient events (delivered, failed, bounced, complained, opened, clicked, unsubscribed) to `webhookUrl`, ' +
      'signed, in batches of up to 100 (`type: recipient.events`). Needs `webhookUrl` and a deployment with RECIPIENT_EVENTS on (400 otherwise). See docs/events.md.',
    default: false,
    example: true,
  })
  @IsOptional()
  @IsBoolean({ message: 'recipientWebhooks must be true or false' })
  recipientWebhooks?: boolean;
}
