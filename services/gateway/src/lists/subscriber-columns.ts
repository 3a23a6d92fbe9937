import { subscriberColumns, type SubscriberColumns } from '@mailroom/contracts';
import { ValidationFailedError } from '../http/api-errors';

export type { SubscriberColumns } from '@mailroom/contracts';

/**
 * Reads the header row (the rule, shared with the CLI, is `subscriberColumns` in
 * @mailroom/contracts). A header that cannot work refuses the whole import: 400 naming `body`.
 */
export function columnsFromHeader(fields: readonly string[]): SubscriberColumns {
  const columns = subscriberColumns(fields);
  if ('error' in columns) throw new ValidationFailedError(`CSV header row: ${columns.error}`, 'body');
  return columns;
}
