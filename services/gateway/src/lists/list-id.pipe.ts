import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '../http/api-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** List ids are UUIDs; anything else never reaches a KV key (where `*`, `>` or `.` mean more). */
export function assertListId(id: unknown, field = 'id'): string {
  if (typeof id !== 'string' || !UUID.test(id)) throw new ValidationFailedError(`${field} must be a list id (a UUID)`, field);
  return id.toLowerCase();
}

@Injectable()
export class ListIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return assertListId(value);
  }
}
