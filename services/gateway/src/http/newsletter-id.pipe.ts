import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from './api-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Newsletter ids are UUIDs. Anything else is refused before it reaches a KV key or a subject
 * filter, where `*`, `>` or `.` would widen the lookup to other newsletters.
 */
export function assertNewsletterId(id: unknown, field = 'id'): string {
  if (typeof id !== 'string' || !UUID.test(id)) throw new ValidationFailedError(`${field} must be a newsletter id (a UUID)`, field);
  return id.toLowerCase();
}

@Injectable()
export class NewsletterIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return assertNewsletterId(value);
  }
}
