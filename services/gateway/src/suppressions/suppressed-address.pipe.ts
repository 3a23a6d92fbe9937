import { Injectable, type PipeTransform } from '@nestjs/common';
import { normalizeAddress } from '@mailroom/contracts';
import { ValidationFailedError } from '../http/api-errors';

/** The `:email` of a suppression route, normalised as the splitter and sender see addresses. */
@Injectable()
export class SuppressedAddressPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    const checked = normalizeAddress(value);
    if (!checked.ok) throw new ValidationFailedError(`email must be a valid email address (${checked.reason})`, 'email');
    return checked.email;
  }
}
