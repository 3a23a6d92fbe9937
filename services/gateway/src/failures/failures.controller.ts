import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Page } from '@mailroom/jetstream';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { AuthCaller, RequiresScope, type Caller } from '../auth/caller';
import { ApiErrorResponses } from '../http/api-error-responses.decorator';
import { NewsletterIdPipe } from '../http/newsletter-id.pipe';
import { PageQueryDto } from '../http/page-query.dto';
import { FailurePageDto, RetryStartedDto } from './failure-responses';
import { FailuresService, type FailureView } from './failures.service';

@ApiTags('newsletters')
@ApiBearerAuth()
@ApiParam({ name: 'id', format: 'uuid' })
@Controller('v1/newsletters/:id')
@UseGuards(ApiKeyGuard)
export class FailuresController {
  constructor(private readonly failures: FailuresService) {}

  @Get('failures')
  @ApiOperation({ summary: 'Failed recipients', description: 'With code, reason and attempts, a page at a time (`?limit=100&after=<next>`).' })
  @ApiOkResponse({ type: FailurePageDto })
  @ApiErrorResponses(400, 401, 403, 404, 429, 503)
  @RequiresScope('read')
  list(@Param('id', NewsletterIdPipe) id: string, @Query() page: PageQueryDto, @AuthCaller() caller: Caller): Promise<Page<FailureView>> {
    return this.failures.list(id, caller, page.after ?? 0, page.limit ?? 100);
  }

  @Post('retry-failed')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send again to the recipients that failed for a passing reason',
    description: 'Only on a settled newsletter with failures (409 otherwise). Nobody already reached gets it twice.',
  })
  @ApiAcceptedResponse({ type: RetryStartedDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 429, 503)
  @RequiresScope('send')
  async retryFailed(@Param('id', NewsletterIdPipe) id: string, @AuthCaller() caller: Caller): Promise<RetryStartedDto> {
    const { round } = await this.failures.retryFailed(id, caller);
    return { id, round, status: 'sending' };
  }
}
