import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { SuppressionEntry } from '@mailroom/contracts';
import type { Page } from '@mailroom/jetstream';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { AuthCaller, RequiresScope, type Caller } from '../auth/caller';
import { ApiErrorResponses } from '../http/api-error-responses.decorator';
import { ErrorBodyDto } from '../http/error-body.dto';
import { CreateSuppressionDto, SuppressionPageQueryDto, SuppressionScopeQueryDto } from './create-suppression.dto';
import { SuppressedAddressPipe } from './suppressed-address.pipe';
import { SuppressionPageDto, SuppressionViewDto } from './suppression-responses';
import { SuppressionsService } from './suppressions.service';

@ApiTags('suppressions')
@ApiBearerAuth()
@Controller('v1/suppressions')
@UseGuards(ApiKeyGuard)
export class SuppressionsController {
  constructor(private readonly suppressions: SuppressionsService) {}

  @Get()
  @ApiOperation({
    summary: 'Suppressed addresses',
    description:
      "The caller's tenant's list (`?scope=tenant`, the default: unsubscribes from its newsletters and addresses its keys added) " +
      'or the global one (`?scope=global`, `admin` scope: hard bounces, addresses suppressed before tenants, and what admins added), ' +
      'oldest first, a page at a time (`?limit=100&after=<next>`).',
  })
  @ApiOkResponse({ type: SuppressionPageDto })
  @ApiErrorResponses(400, 401, 403, 429, 503)
  @RequiresScope('read', 'admin')
  list(@Query() query: SuppressionPageQueryDto, @AuthCaller() caller: Caller): Promise<Page<SuppressionEntry>> {
    return this.suppressions.list(caller, query.scope ?? 'tenant', query.after ?? 0, query.limit ?? 100);
  }

  @Post()
  @ApiOperation({
    summary: 'Suppress an address',
    description:
      "No later newsletter of the caller's tenant (`scope: global`, `admin` scope: of any tenant) is sent to it, nor the batches " +
      'of running ones not yet sent. 201 when added; 200 with the existing entry (its first reason and date) when the address ' +
      'was already on that list.',
  })
  @ApiCreatedResponse({ type: SuppressionViewDto, description: 'Added.' })
  @ApiOkResponse({ type: SuppressionViewDto, description: 'Already suppressed: the existing entry, unchanged.' })
  @ApiErrorResponses(400, 401, 403, 409, 413, 415, 429, 503)
  @RequiresScope('send', 'admin')
  async add(
    @Body() dto: CreateSuppressionDto,
    @AuthCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuppressionEntry> {
    const { created, entry } = await this.suppressions.add(dto.email, dto.reason ?? 'manual', caller, dto.scope ?? 'tenant');
    response.status(created ? 201 : 200);
    return entry;
  }

  @Delete(':email')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove an address from a suppression list',
    description:
      "From the caller's tenant's list, or the global one with `?scope=global` (`admin` scope). Newsletters sent from now on reach it " +
      'again unless the other list has it. URL-encode the address (`+` is `%2B`).',
  })
  @ApiParam({ name: 'email', example: 'ann@example.org' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiResponse({ status: 404, description: 'The address is not on that suppression list (`not_found`).', type: ErrorBodyDto })
  @ApiErrorResponses(400, 401, 403, 409, 429, 503)
  @RequiresScope('send', 'admin')
  async remove(
    @Param('email', SuppressedAddressPipe) email: string,
    @Query() query: SuppressionScopeQueryDto,
    @AuthCaller() caller: Caller,
  ): Promise<void> {
    await this.suppressions.remove(email, caller, query.scope ?? 'tenant');
  }
}
