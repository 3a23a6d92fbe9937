import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import type { Page } from '@mailroom/jetstream';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { PageQueryDto } from '../http/page-query.dto';
import { FailuresService, type FailureView } from './failures.service';

@Controller('v1/newsletters/:id')
@UseGuards(ApiKeyGuard)
export class FailuresController {
  constructor(private readonly failures: FailuresService) {}

  /** Failed recipients with code, reason and attempts, a page at a time (`?limit=100&after=<next>`). */
  @Get('failures')
  list(@Param('id') id: string, @Query() page: PageQueryDto): Promise<Page<FailureView>> {
    return this.failures.list(id, page.after ?? 0, page.limit ?? 100);
  }

  /** Sends again to the recipients that failed for a passing reason; nobody already reached gets it twice. */
  @Post('retry-failed')
  @HttpCode(202)
  async retryFailed(@Param('id') id: string): Promise<{ id: string; round: string; status: 'sending' }> {
    const { round } = await this.failures.retryFailed(id);
    return { id, round, status: 'sending' };
  }
}
