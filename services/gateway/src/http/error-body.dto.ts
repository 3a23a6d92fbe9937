import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody } from './api-error.filter';

/** The one error shape of every 4xx and 5xx answer, as OpenAPI shows it. */
export class ErrorBodyDto implements ErrorBody {
  @ApiProperty({
    description:
      'Stable machine-readable code: validation_failed, malformed_json, unauthorized, forbidden, not_found, conflict, ' +
      'request_timeout, payload_too_large, unsupported_media_type, unprocessable, rate_limited, service_unavailable, not_implemented, internal',
    example: 'validation_failed',
  })
  readonly error!: string;

  @ApiProperty({ description: 'What was wrong, for people. Never a stack trace.', example: 'recipients[3].email must be a single bare email address' })
  readonly message!: string;

  @ApiPropertyOptional({ description: 'The offending field, as a path into the request.', example: 'recipients[3].email' })
  readonly field?: string;
}
