import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DEVELOPMENT_SECRET_WARNING, type UnsubscribeClaim } from '@mailroom/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ForbiddenError, ValidationFailedError } from '../http/api-errors';
import { SuppressionAccess } from '../suppressions/suppression-access';

/**
 * The public side of unsubscribe links: checks a link's token (signed by the sender with the
 * shared UNSUBSCRIBE_SECRET) and suppresses its address. Only the signature vouches for a request:
 * these routes have no API key.
 */
@Injectable()
export class UnsubscribeService implements OnModuleInit {
  private readonly logger = new Logger(UnsubscribeService.name);

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly suppressions: SuppressionAccess,
  ) {}

  onModuleInit(): void {
    if (this.config.unsubscribe.developmentSecret) this.logger.warn(DEVELOPMENT_SECRET_WARNING);
  }

  /** Who the link is for; 400 for a token that is not one, 403 for one we did not sign (forged or altered). */
  claimOf(token: string): UnsubscribeClaim {
    const check = this.config.unsubscribe.tokens.verify(token);
    if (check.ok) return check.claim;
    if (check.reason === 'malformed') throw new ValidationFailedError('This unsubscribe link is incomplete or damaged; open the link from the email again', 'token');
    this.logger.warn('Unsubscribe link with a signature that does not match refused');
    throw new ForbiddenError('This unsubscribe link is not valid: it was not issued by us, or it was altered');
  }

  /** Suppresses the link's address at once (reason `unsubscribed`, source the newsletter); repeating it changes nothing. */
  async unsubscribe(token: string): Promise<UnsubscribeClaim> {
    const claim = this.claimOf(token);
    const { created } = await this.suppressions.add({
      email: claim.email,
      reason: 'unsubscribed',
      at: new Date().toISOString(),
      source: claim.newsletterId,
    });
    this.logger.log({ newsletterId: claim.newsletterId, alreadySuppressed: !created }, 'Unsubscribed through a newsletter link');
    return claim;
  }
}
