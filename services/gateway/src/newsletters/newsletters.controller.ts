import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { NewsletterView } from '@mailroom/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { AuthCaller, RequiresScope, type Caller } from '../auth/caller';
import { ApiErrorResponses } from '../http/api-error-responses.decorator';
import { NewsletterIdPipe } from '../http/newsletter-id.pipe';
import { CreateNewsletterDto, RecipientInput } from './create-newsletter.dto';
import { MAX_TEST_RECIPIENTS, TestNewsletterDto } from './test-newsletter.dto';
import { NewsletterAcceptedDto, TestAcceptedDto } from './newsletter-responses';
import { NewslettersService } from './newsletters.service';

@ApiTags('newsletters')
@ApiBearerAuth()
@ApiExtraModels(RecipientInput)
@Controller('v1/newsletters')
@UseGuards(ApiKeyGuard)
export class NewslettersController {
  constructor(private readonly newsletters: NewslettersService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queue a newsletter',
    description: 'Stores the body and the list, publishes the request and answers at once. A newsletter is either fully queued or not at all.',
  })
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description: '1-255 visible ASCII characters. A repeat with the same key and body returns the first newsletter (header `Idempotent-Replayed: true`); with another body, 409.',
  })
  @ApiAcceptedResponse({ type: NewsletterAcceptedDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 413, 415, 429, 503)
  @RequiresScope('send')
  async create(
    @Body() dto: CreateNewsletterDto,
    @AuthCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<NewsletterAcceptedDto> {
    const { id, replayed, scheduled } = await this.newsletters.create(dto, caller, idempotencyKey);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return { id, status: scheduled ? 'scheduled' : 'queued' };
  }

  @Post('test')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a test',
    description:
      `Right away, to at most ${MAX_TEST_RECIPIENTS} addresses; the mail carries \`X-Mailroom-Test: true\`. Addresses on the ` +
      "tenant's or the global suppression list are skipped (listed in `skipped`; 409 when that is all of them). " +
      '`TEST_SENDS_PER_MINUTE` test sends per minute per tenant (429 with `Retry-After` beyond).',
  })
  @ApiAcceptedResponse({ type: TestAcceptedDto })
  @ApiErrorResponses(400, 401, 403, 409, 413, 415, 429, 503)
  @RequiresScope('send')
  test(@Body() dto: TestNewsletterDto, @AuthCaller() caller: Caller): Promise<TestAcceptedDto> {
    return this.newsletters.test(dto, caller);
  }

  @Get(':id')
  @ApiOperation({ summary: "A newsletter's status and counts" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: NewsletterView })
  @ApiErrorResponses(400, 401, 403, 404, 429, 503)
  @RequiresScope('read')
  get(@Param('id', NewsletterIdPipe) id: string, @AuthCaller() caller: Caller): Promise<NewsletterView> {
    return this.newsletters.get(id, caller);
  }
}
