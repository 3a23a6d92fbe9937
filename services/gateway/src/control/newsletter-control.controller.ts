import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { NEWSLETTER_STATUSES, type NewsletterStatus } from '@mailroom/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { AuthCaller, RequiresScope, type Caller } from '../auth/caller';
import { ApiErrorResponses } from '../http/api-error-responses.decorator';
import { NewsletterIdPipe } from '../http/newsletter-id.pipe';
import { NewsletterControlService } from './newsletter-control.service';

export class ControlResultDto {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty({ enum: NEWSLETTER_STATUSES, example: 'paused' })
  readonly status!: NewsletterStatus;
}

@ApiTags('newsletters')
@ApiBearerAuth()
@ApiParam({ name: 'id', format: 'uuid' })
@Controller('v1/newsletters/:id')
@UseGuards(ApiKeyGuard)
@RequiresScope('send')
export class NewsletterControlController {
  constructor(private readonly control: NewsletterControlService) {}

  @Post('pause')
  @HttpCode(202)
  @ApiOperation({ summary: 'Pause sending', description: 'Stops within seconds; nothing already sent is sent again on resume. Idempotent.' })
  @ApiAcceptedResponse({ type: ControlResultDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 429, 503)
  pause(@Param('id', NewsletterIdPipe) id: string, @AuthCaller() caller: Caller): Promise<ControlResultDto> {
    return this.control.pause(id, caller);
  }

  @Post('resume')
  @HttpCode(202)
  @ApiOperation({ summary: 'Resume a paused newsletter', description: 'Carries on where it stopped; nobody gets it twice.' })
  @ApiAcceptedResponse({ type: ControlResultDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 429, 503)
  resume(@Param('id', NewsletterIdPipe) id: string, @AuthCaller() caller: Caller): Promise<ControlResultDto> {
    return this.control.resume(id, caller);
  }

  @Post('cancel')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Cancel for good',
    description:
      'Also before a scheduled start (then `cancelled` at once). Otherwise `cancelling` until the batches being sent have reported, then `cancelled` with the final counts (recipients not sent to count as `cancelled`). Idempotent.',
  })
  @ApiAcceptedResponse({ type: ControlResultDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 429, 503)
  cancel(@Param('id', NewsletterIdPipe) id: string, @AuthCaller() caller: Caller): Promise<ControlResultDto> {
    return this.control.cancel(id, caller);
  }
}
