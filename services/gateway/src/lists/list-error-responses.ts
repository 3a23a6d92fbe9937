import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrorResponses } from '../http/api-error-responses.decorator';
import { ErrorBodyDto } from '../http/error-body.dto';

/** What the list routes' own error answers mean (the generic ones speak of newsletters and JSON). */
const LIST_DESCRIPTIONS: Readonly<Record<number, string>> = {
  404: 'No such list, or a list of another tenant (`not_found`).',
  409:
    'Another import or subscriber change to this list is running, the list has had its 1000 imports, or (delete, subscriber changes) ' +
    'a newsletter to the list has not settled; the message names it (`conflict`). Nothing was changed.',
  413: 'Import larger than `MAX_IMPORT_BYTES` (`payload_too_large`); the message states the limit. Nothing was added.',
  415: 'Not `text/csv` or `application/x-ndjson` in UTF-8, or a compressed body (`unsupported_media_type`).',
};

/** The error answers of a list route, `{ error, message, field? }` like every other route. */
export const ApiListErrorResponses = (...statuses: number[]) =>
  applyDecorators(
    ApiErrorResponses(...statuses.filter((status) => !LIST_DESCRIPTIONS[status])),
    ...statuses
      .filter((status) => LIST_DESCRIPTIONS[status])
      .map((status) => ApiResponse({ status, description: LIST_DESCRIPTIONS[status], type: ErrorBodyDto })),
  );
