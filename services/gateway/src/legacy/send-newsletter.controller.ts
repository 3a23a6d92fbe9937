import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/api-key.guard';
import { NewslettersService } from '../newsletters/newsletters.service';
import { SendNewsletterDto } from './send-newsletter.dto';

/** `POST /send-newsletter`, the request shape of the tutorial this product replaces. */
@Controller('send-newsletter')
@UseGuards(ApiKeyGuard)
export class SendNewsletterController {
  constructor(private readonly newsletters: NewslettersService) {}

  @Post()
  @HttpCode(202)
  async send(@Body() dto: SendNewsletterDto, @Req() request: AuthenticatedRequest): Promise<{ jobId: string }> {
    const { id } = await this.newsletters.create(
      { subject: dto.subject, html: dto.content, recipients: dto.subscriberList.map((email) => ({ email })) },
      request.apiKeyName ?? 'unknown',
    );
    return { jobId: id };
  }
}
