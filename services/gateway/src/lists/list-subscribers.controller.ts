import { Body, Controller, Delete, Get, Param, Patch, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { AuthCaller, RequiresScope, type Caller } from '../auth/caller';
import { ValidationFailedError } from '../http/api-errors';
import { SuppressedAddressPipe } from '../suppressions/suppressed-address.pipe';
import { ApiListErrorResponses } from './list-error-responses';
import { ListIdPipe } from './list-id.pipe';
import { CursorPageQueryDto, RemovedSubscriberDto, SubscriberPageDto, SubscriberViewDto, UpdateSubscriberDto } from './list-lifecycle.dto';
import { ListSubscribersService, type SubscriberPage, type SubscriberView } from './list-subscribers.service';

const EMAIL_PARAM = { name: 'email', example: 'ann@example.org', description: 'Any spelling of the address: matched by mailbox (domain and local part without case). URL-encode it (`+` is `%2B`).' };

@ApiTags('lists')
@ApiBearerAuth()
@Controller('v1/lists')
@UseGuards(ApiKeyGuard)
export class ListSubscribersController {
  constructor(private readonly subscribers: ListSubscribersService) {}

  @Get(':id/subscribers')
  @ApiOperation({
    summary: "A list's subscribers, a page at a time",
    description: 'In list order (imports oldest first, rows as imported): `?limit=100`, then `&cursor=<next>`. A subscriber removed meanwhile may shift the next page by one.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SubscriberPageDto })
  @ApiListErrorResponses(400, 401, 403, 404, 429, 503)
  @RequiresScope('read')
  page(@Param('id', ListIdPipe) id: string, @Query() query: CursorPageQueryDto, @AuthCaller() caller: Caller): Promise<SubscriberPage> {
    return this.subscribers.page(id, caller, query.limit ?? 100, query.cursor);
  }

  @Get(':id/subscribers/:email')
  @ApiOperation({ summary: 'One subscriber of a list' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam(EMAIL_PARAM)
  @ApiOkResponse({ type: SubscriberViewDto })
  @ApiListErrorResponses(400, 401, 403, 404, 429, 503)
  @RequiresScope('read')
  get(@Param('id', ListIdPipe) id: string, @Param('email', SuppressedAddressPipe) email: string, @AuthCaller() caller: Caller): Promise<SubscriberView> {
    return this.subscribers.get(id, email, caller);
  }

  @Patch(':id/subscribers/:email')
  @ApiOperation({
    summary: "Change a subscriber's name or merge fields",
    description:
      'The address itself never changes (remove the subscriber and import the new one). Checked as an imported row is. ' +
      '409 while a newsletter to the list has not settled (it may be reading the list), or while an import to it runs.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam(EMAIL_PARAM)
  @ApiOkResponse({ type: SubscriberViewDto, description: 'The subscriber as stored now.' })
  @ApiListErrorResponses(400, 401, 403, 404, 409, 429, 503)
  @RequiresScope('send')
  update(
    @Param('id', ListIdPipe) id: string,
    @Param('email', SuppressedAddressPipe) email: string,
    @Body() dto: UpdateSubscriberDto,
    @AuthCaller() caller: Caller,
  ): Promise<SubscriberView> {
    if (dto.name === undefined && dto.vars === undefined) throw new ValidationFailedError('name or vars is required (what to change)', 'name');
    return this.subscribers.update(id, email, { ...(dto.name !== undefined ? { name: dto.name } : {}), ...(dto.vars !== undefined ? { vars: dto.vars } : {}) }, caller);
  }

  @Delete(':id/subscribers/:email')
  @ApiOperation({
    summary: 'Remove a subscriber from a list',
    description:
      'Gone from the stored list (its part is written anew without it). Not a suppression: a later import may add the address again ' +
      '(to stop all mail to it, POST /v1/suppressions; to erase it everywhere, DELETE /v1/subscribers/{email}). ' +
      '409 while a newsletter to the list has not settled, or while an import to it runs.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam(EMAIL_PARAM)
  @ApiOkResponse({ type: RemovedSubscriberDto })
  @ApiListErrorResponses(400, 401, 403, 404, 409, 429, 503)
  @RequiresScope('send')
  remove(
    @Param('id', ListIdPipe) id: string,
    @Param('email', SuppressedAddressPipe) email: string,
    @AuthCaller() caller: Caller,
  ): Promise<{ removed: SubscriberView; subscribers: number }> {
    return this.subscribers.remove(id, email, caller);
  }
}
