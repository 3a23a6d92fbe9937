import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { SuppressionEntry } from '@mailroom/contracts';
import type { Page } from '@mailroom/jetstream';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/api-key.guard';
import { ApiErrorResponses } from '../http/api-error-responses.decorator';
import { ErrorBodyDto } from '../http/error-body.dto';
import { PageQueryDto } from '../http/page-query.dto';
import { CreateSuppressionDto } from './create-suppression.dto';
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
    description: 'Unsubscribed, bounced, complained and manually added addresses, oldest first, a page at a time (`?limit=100&after=<next>`).',
  })
  @ApiOkResponse({ type: SuppressionPageDto })
  @ApiErrorResponses(400, 401, 429, 503)
  list(@Query() page: PageQueryDto): Promise<Page<SuppressionEntry>> {
    return this.suppressions.list(page.after ?? 0, page.limit ?? 100);
  }

  @Post()
  @ApiOperation({
    summary: 'Suppress an address',
    description:
      'No later newsletter is sent to it, nor the batches of running newsletters not yet sent. 201 when added; 200 with ' +
      'the existing entry (its first reason and date) when the address was already suppressed.',
  })
  @ApiCreatedResponse({ type: SuppressionViewDto, description: 'Added.' })
  @ApiOkResponse({ type: SuppressionViewDto, description: 'Already suppressed: the existing entry, unchanged.' })
  @ApiErrorResponses(400, 401, 409, 413, 415, 429, 503)
  async add(
    @Body() dto: CreateSuppressionDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuppressionEntry> {
    const { created, entry } = await this.suppressions.add(dto.email, dto.reason ?? 'manual', request.apiKeyName ?? 'unknown');
    response.status(created ? 201 : 200);
    return entry;
  }

  @Delete(':email')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an address from the suppression list', description: 'Newsletters sent from now on reach it again. URL-encode the address (`+` is `%2B`).' })
  @ApiParam({ name: 'email', example: 'ann@example.org' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiResponse({ status: 404, description: 'The address is not on the suppression list (`not_found`).', type: ErrorBodyDto })
  @ApiErrorResponses(400, 401, 409, 429, 503)
  async remove(@Param('email', SuppressedAddressPipe) email: string, @Req() request: AuthenticatedRequest): Promise<void> {
    await this.suppressions.remove(email, request.apiKeyName ?? 'unknown');
  }
}
