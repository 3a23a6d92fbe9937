import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { NewsletterView } from '@mailroom/contracts';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/api-key.guard';
import { CreateNewsletterDto } from './create-newsletter.dto';
import { NewslettersService } from './newsletters.service';

@Controller('v1/newsletters')
@UseGuards(ApiKeyGuard)
export class NewslettersController {
  constructor(private readonly newsletters: NewslettersService) {}

  @Post()
  @HttpCode(202)
  async create(
    @Body() dto: CreateNewsletterDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<{ id: string; status: 'queued' }> {
    const { id } = await this.newsletters.create(dto, request.apiKeyName ?? 'unknown');
    return { id, status: 'queued' };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<NewsletterView> {
    return this.newsletters.get(id);
  }
}
