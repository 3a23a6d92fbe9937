import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsMailboxAddress } from '../addresses/is-mailbox-address.decorator';
import { IsRecipientVars } from './recipient-vars';

/** One normalised recipient as it travels inside a batch. */
export class Recipient {
  @IsMailboxAddress()
  email!: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  name?: string;

  /**
   * Merge fields of this recipient (a subscriber list's custom columns), strings only, within
   * RECIPIENT_VARS_LIMITS. Absent when the recipient has none.
   */
  @IsOptional()
  @IsRecipientVars()
  vars?: Record<string, string>;
}
