import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
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
    @Res({ passthrough: true }) response: Response,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<{ id: string; status: 'queued' }> {
    const { id, replayed } = await this.newsletters.create(dto, request.apiKeyName ?? 'unknown', idempotencyKey);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return { id, status: 'queued' };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<NewsletterView> {
    return this.newsletters.get(id);
  }
}
