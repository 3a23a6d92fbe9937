import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { AuthCaller, RequiresScope, type Caller } from '../auth/caller';
import { ApiErrorResponses } from '../http/api-error-responses.decorator';
import { NewslettersService } from '../newsletters/newsletters.service';
import { LegacyAcceptedDto, SendNewsletterDto } from './send-newsletter.dto';

/** `POST /send-newsletter`, the request shape of the tutorial this product replaces. */
@ApiTags('legacy')
@ApiBearerAuth()
@Controller('send-newsletter')
@UseGuards(ApiKeyGuard)
export class SendNewsletterController {
  constructor(private readonly newsletters: NewslettersService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a newsletter (the tutorial request shape)', description: 'Same rules as `POST /v1/newsletters`; the sender is `DEFAULT_FROM`.' })
  @ApiAcceptedResponse({ type: LegacyAcceptedDto })
  @ApiErrorResponses(400, 401, 403, 413, 415, 429, 503)
  @RequiresScope('send')
  async send(@Body() dto: SendNewsletterDto, @AuthCaller() caller: Caller): Promise<LegacyAcceptedDto> {
    const { id } = await this.newsletters.create(
      { subject: dto.subject, html: dto.content, recipients: dto.subscriberList.map((email) => ({ email })) },
      caller,
    );
    return { jobId: id };
  }
}
