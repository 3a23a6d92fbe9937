import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, UseGuards } from '@nestjs/common';
import type { Page } from '@mailroom/jetstream';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { ValidationFailedError } from '../http/api-errors';
import { PageQueryDto } from '../http/page-query.dto';
import { DeadLettersService, type DeadLetterView, type Redrive } from './dead-letters.service';

@Controller('v1/dead-letters')
@UseGuards(ApiKeyGuard)
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  list(@Query() page: PageQueryDto): Promise<Page<DeadLetterView>> {
    return this.deadLetters.list(page.after ?? 0, page.limit ?? 100);
  }

  @Post(':id/redrive')
  @HttpCode(202)
  redrive(
    @Param('id', new ParseIntPipe({ exceptionFactory: () => new ValidationFailedError('id must be a whole number', 'id') }))
    id: number,
  ): Promise<Redrive> {
    return this.deadLetters.redrive(id);
  }
}
