import { Controller, Delete, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { AuthCaller, RequiresScope, type Caller } from '../auth/caller';
import { ApiErrorResponses } from '../http/api-error-responses.decorator';
import { ApiListErrorResponses } from '../lists/list-error-responses';
import { SuppressedAddressPipe } from '../suppressions/suppressed-address.pipe';
import { SubscriberErasureDto, SubscriberExportDto } from './subscriber-responses';
import { SubscribersService, type SubscriberErasure, type SubscriberExport } from './subscribers.service';

const EMAIL_PARAM = { name: 'email', example: 'ann@example.org', description: 'Any spelling of the address: matched by mailbox (domain and local part without case). URL-encode it (`+` is `%2B`).' };

/** One person's address across the caller's tenant: export (GDPR Art. 15) and erasure (Art. 17). */
@ApiTags('subscribers')
@ApiBearerAuth()
@Controller('v1/subscribers')
@UseGuards(ApiKeyGuard)
export class SubscribersController {
  constructor(private readonly subscribers: SubscribersService) {}

  @Get(':email')
  @ApiOperation({
    summary: 'Everything stored about an address (GDPR Art. 15 export)',
    description:
      "The caller's tenant's lists that hold the address, with its name and merge fields in each, its suppression state (the tenant's " +
      "entry, and whether the global list has it) and its recent delivery outcomes (the tenant's newsletters the delivery ledger still " +
      'holds, newest first, at most 100). The ledger keeps outcomes under the address as it was sent, so they are looked up by the spellings ' +
      'known for the mailbox: the one asked for, its all-lower-case form, those the lists hold and those of its suppression entries; a send ' +
      'to a spelling known nowhere else is not found. An address held nowhere answers 200 with no lists. Reads every list of the tenant.',
  })
  @ApiParam(EMAIL_PARAM)
  @ApiOkResponse({ type: SubscriberExportDto })
  @ApiErrorResponses(400, 401, 403, 429, 503)
  @RequiresScope('read')
  export(@Param('email', SuppressedAddressPipe) email: string, @AuthCaller() caller: Caller): Promise<SubscriberExport> {
    return this.subscribers.export(email, caller);
  }

  @Delete(':email')
  @ApiOperation({
    summary: 'Erase an address (GDPR Art. 17)',
    description:
      "Removed from every list of the caller's tenant; kept only as an erased entry on the tenant's suppression list (no readable address, " +
      'only its hash as the key), so no newsletter of the tenant reaches it again, in any spelling. Answers what was removed. Refused ' +
      '(409, naming them, nothing changed) while a newsletter to a list holding the address has not settled, or an import to one runs. ' +
      'Repeating it is harmless.',
  })
  @ApiParam(EMAIL_PARAM)
  @ApiOkResponse({ type: SubscriberErasureDto })
  @ApiListErrorResponses(400, 401, 403, 409, 429, 503)
  @RequiresScope('send')
  erase(@Param('email', SuppressedAddressPipe) email: string, @AuthCaller() caller: Caller): Promise<SubscriberErasure> {
    return this.subscribers.erase(email, caller);
  }
}
