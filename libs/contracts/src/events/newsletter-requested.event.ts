import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { MAX_TENANT_NAME_LENGTH, TENANT_NAME } from '../tenants/tenant';
import { NewsletterEvent } from './event-base';

/** Most parts (imports) one subscriber list may have: every part's name travels in the request event. */
export const MAX_LIST_PARTS = 1000;

/**
 * Published by the gateway once the body and the list are stored; consumed by the splitter.
 * The recipients are either an inline list (`recipientsObject`, in the content store) or a
 * subscriber list's parts (`listParts`, in the list-parts store): exactly one of the two is set.
 */
export class NewsletterRequestedEvent extends NewsletterEvent {
  /** Object name of the NewsletterContent document in the content store. */
  @IsString()
  contentObject!: string;

  /**
   * Object name of the inline recipient list in the content store (NDJSON, one
   * `{email, name?, vars?}` per line). Absent when the newsletter goes to a subscriber list.
   */
  @ValidateIf((event: NewsletterRequestedEvent) => event.listParts === undefined)
  @IsString()
  recipientsObject?: string;

  /**
   * A subscriber list's parts as they were when the newsletter was submitted (a snapshot: later
   * imports do not join a newsletter already queued): object names in the list-parts store, each
   * NDJSON like `recipientsObject`, read in this order. Added with subscriber lists; a splitter
   * older than that refuses the event (deploy the splitter first).
   */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LIST_PARTS)
  @IsString({ each: true })
  listParts?: string[];

  /** The subscriber list the newsletter goes to (with `listParts`), for logs and views. */
  @IsOptional()
  @IsUUID()
  listId?: string;

  /** Recipients as submitted, before de-duplication. */
  @IsInt()
  @Min(1)
  submittedRecipients!: number;

  @IsInt()
  @Min(1)
  @Max(1000)
  batchSize!: number;

  /** A test send: the suppression list does not apply. */
  @IsOptional()
  @IsBoolean()
  test?: boolean;

  /**
   * The tenant of the key that submitted it (absent before tenants: `tenantOf` gives the default
   * tenant). The splitter checks the global and this tenant's suppression lists.
   */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TENANT_NAME_LENGTH)
  @Matches(TENANT_NAME)
  tenant?: string;
}
