import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsMailboxAddress } from '../addresses/is-mailbox-address.decorator';

/** One normalised recipient as it travels inside a batch. */
export class Recipient {
  @IsMailboxAddress()
  email!: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  name?: string;
}
