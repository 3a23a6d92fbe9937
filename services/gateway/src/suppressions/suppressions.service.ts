import { Injectable, Logger } from '@nestjs/common';
import { normalizeAddress, type SuppressionEntry, type SuppressionReason } from '@mailroom/contracts';
import type { Page } from '@mailroom/jetstream';
import { NotFoundError, ValidationFailedError } from '../http/api-errors';
import { SuppressionAccess } from './suppression-access';

/** The suppression list API: addresses no newsletter is sent to, whatever list they are on. */
@Injectable()
export class SuppressionsService {
  private readonly logger = new Logger(SuppressionsService.name);

  constructor(private readonly suppressions: SuppressionAccess) {}

  list(after: number, limit: number): Promise<Page<SuppressionEntry>> {
    return this.suppressions.page(after, limit);
  }

  /** Suppresses an address for the caller (`source` = `api:<key name>`). An address already on the list keeps its entry. */
  async add(
    email: string,
    reason: SuppressionReason,
    caller: string,
  ): Promise<{ readonly created: boolean; readonly entry: SuppressionEntry }> {
    const checked = normalizeAddress(email);
    if (!checked.ok) throw new ValidationFailedError(`email must be a valid email address (${checked.reason})`, 'email');
    const result = await this.suppressions.add({ email: checked.email, reason, at: new Date().toISOString(), source: `api:${caller}` });
    if (result.created) this.logger.log({ reason, apiKey: caller }, 'Address suppressed through the API');
    return result;
  }

  /** Lets newsletters reach the address again. `email` is normalised (SuppressedAddressPipe). */
  async remove(email: string, caller: string): Promise<void> {
    if (!(await this.suppressions.remove(email))) throw new NotFoundError('This address is not on the suppression list');
    this.logger.log({ apiKey: caller }, 'Address removed from the suppression list');
  }
}
