import { Injectable, Logger } from '@nestjs/common';
import { normalizeAddress, type SuppressionEntry, type SuppressionReason } from '@mailroom/contracts';
import { GLOBAL_SUPPRESSIONS, tenantSuppressions, type Page, type SuppressionScope } from '@mailroom/jetstream';
import { hasScope, type Caller } from '../auth/caller';
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../http/api-errors';
import type { SuppressionListScope } from './create-suppression.dto';
import { SuppressionAccess } from './suppression-access';

/**
 * The suppression list API: addresses no newsletter is sent to, whatever list they are on. Each
 * tenant has its own list (its keys read and change it: `read`, `send`); the global list applies
 * to every tenant and takes the `admin` scope to read or change.
 */
@Injectable()
export class SuppressionsService {
  private readonly logger = new Logger(SuppressionsService.name);

  constructor(private readonly suppressions: SuppressionAccess) {}

  list(caller: Caller, listScope: SuppressionListScope, after: number, limit: number): Promise<Page<SuppressionEntry>> {
    return this.suppressions.page(this.scopeOf(caller, listScope, 'read'), after, limit);
  }

  /** Suppresses an address for the caller (`source` = `api:<key name>`). An address already on the list keeps its entry. */
  async add(
    email: string,
    reason: SuppressionReason,
    caller: Caller,
    listScope: SuppressionListScope,
  ): Promise<{ readonly created: boolean; readonly entry: SuppressionEntry }> {
    const scope = this.scopeOf(caller, listScope, 'send');
    const checked = normalizeAddress(email);
    if (!checked.ok) throw new ValidationFailedError(`email must be a valid email address (${checked.reason})`, 'email');
    const result = await this.suppressions.add({ email: checked.email, reason, at: new Date().toISOString(), source: `api:${caller.keyName}` }, scope);
    if (result.created) this.logger.log({ reason, apiKey: caller.keyName, list: describe(scope) }, 'Address suppressed through the API');
    return result;
  }

  /** Lets newsletters reach the address again. `email` is normalised (SuppressedAddressPipe). */
  async remove(email: string, caller: Caller, listScope: SuppressionListScope): Promise<void> {
    const scope = this.scopeOf(caller, listScope, 'send');
    if (!(await this.suppressions.remove(email, scope))) throw new NotFoundError('This address is not on the suppression list');
    this.logger.log({ apiKey: caller.keyName, list: describe(scope) }, 'Address removed from the suppression list');
  }

  /** The caller's tenant's list (with `tenantScope`), or the global list (with `admin`); 403 otherwise. */
  private scopeOf(caller: Caller, listScope: SuppressionListScope, tenantScope: 'read' | 'send'): SuppressionScope {
    if (listScope === 'global') {
      if (!hasScope(caller, 'admin')) throw new ForbiddenError(`The global suppression list needs the "admin" scope; this API key (${caller.keyName}) lacks it`, 'scope');
      return GLOBAL_SUPPRESSIONS;
    }
    if (!hasScope(caller, tenantScope)) throw new ForbiddenError(`This API key (${caller.keyName}) lacks the "${tenantScope}" scope`);
    return tenantSuppressions(caller.tenant);
  }
}

function describe(scope: SuppressionScope): string {
  return scope.kind === 'global' ? 'global' : `tenant:${scope.tenant}`;
}
