import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Page } from '@mailroom/jetstream';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { AuthCaller, RequiresScope, type Caller } from '../auth/caller';
import { ApiErrorResponses } from '../http/api-error-responses.decorator';
import { ValidationFailedError } from '../http/api-errors';
import { PageQueryDto } from '../http/page-query.dto';
import { DeadLetterPageDto, RedriveDto } from './dead-letter-responses';
import { DeadLettersService, type DeadLetterView, type Redrive } from './dead-letters.service';

@ApiTags('dead letters')
@ApiBearerAuth()
@Controller('v1/dead-letters')
@UseGuards(ApiKeyGuard)
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiOperation({
    summary: 'Messages that exhausted their deliveries',
    description:
      "A page at a time (`?limit=100&after=<next>`). Those of the caller's tenant's newsletters; every tenant's with the `admin` scope. " +
      'A page may hold fewer than `limit` items while `next` is not null: follow `next`.',
  })
  @ApiOkResponse({ type: DeadLetterPageDto })
  @ApiErrorResponses(400, 401, 403, 429, 503)
  @RequiresScope('read', 'admin')
  list(@Query() page: PageQueryDto, @AuthCaller() caller: Caller): Promise<Page<DeadLetterView>> {
    return this.deadLetters.list(caller, page.after ?? 0, page.limit ?? 100);
  }

  @Post(':id/redrive')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Put a dead letter back',
    description: 'A batch runs again as a re-send round; a newsletter request re-opens its newsletter. Needs the `admin` scope (any tenant).',
  })
  @ApiParam({ name: 'id', type: 'integer' })
  @ApiAcceptedResponse({ type: RedriveDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 422, 429, 503)
  @RequiresScope('admin')
  redrive(
    @Param('id', new ParseIntPipe({ exceptionFactory: () => new ValidationFailedError('id must be a whole number', 'id') }))
    id: number,
  ): Promise<Redrive> {
    return this.deadLetters.redrive(id);
  }
}
