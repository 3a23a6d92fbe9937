import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body.dto';

const DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid input (`validation_failed` with the field, or `malformed_json`). Nothing is stored or published.',
  401: 'Missing, unknown or revoked API key (`unauthorized`).',
  403: 'Authenticated, but not allowed: the key lacks the route\'s scope (`send`, `read`, `admin`), or a `from` outside `ALLOWED_FROM` (`forbidden`).',
  404: 'No such newsletter, or (`listId`) no such subscriber list; another tenant\'s is answered the same (`not_found`).',
  409: 'Conflicts with the current state (`conflict`), e.g. an Idempotency-Key reused with another request.',
  415: 'Body that is not JSON (`unsupported_media_type`).',
  413: 'Body larger than `MAX_BODY_BYTES` once decompressed, or compressed more than `MAX_INFLATE_RATIO` times (`payload_too_large`); the message states the limit.',
  422: 'Understood, but cannot be done (`unprocessable`).',
  429: 'This API key is over its rate limit, or this client address failed authentication too often (`rate_limited`); the `Retry-After` header says when to retry, in seconds.',
  503: 'NATS or the tracker is unavailable (`service_unavailable`); nothing was queued. Retry.',
};

/** Documents the error answers a route can give, all in the `{ error, message, field? }` shape. */
export const ApiErrorResponses = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        type: ErrorBodyDto,
        ...(status === 429
          ? { headers: { 'Retry-After': { description: 'Seconds until the key may send again', schema: { type: 'integer' } } } }
          : {}),
      }),
    ),
  );
