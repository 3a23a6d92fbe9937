import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DEVELOPMENT_SECRET_WARNING, Events, addressHash, recipientEventId, tenantOf, type UnsubscribeClaim } from '@mailroom/contracts';
import { EventPublisher, GLOBAL_SUPPRESSIONS, NewsletterRecords, RecipientEventPublisher, tenantSuppressions, type SuppressionScope } from '@mailroom/jetstream';
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
    private readonly records: NewsletterRecords,
    private readonly publisher: EventPublisher,
    private readonly recipientEvents: RecipientEventPublisher,
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

  /**
   * Suppresses the link's address at once (reason `unsubscribed`, source the newsletter) on the
   * suppression list of the newsletter's tenant: the reader leaves that sender's mail. When the
   * newsletter's record is gone, on the global list (not sending is the safe side). Repeating it
   * changes nothing. When it suppressed the address (it was not on the list), `unsubscribe.recorded`
   * tells the tracker to count it in the newsletter's `unsubscribes`, and with RECIPIENT_EVENTS
   * `recipient.unsubscribed` goes out (so a second click repeats neither); both best effort: the
   * unsubscribe stands anyway.
   */
  async unsubscribe(token: string): Promise<UnsubscribeClaim> {
    const claim = this.claimOf(token);
    const scope = await this.listOf(claim.newsletterId);
    const at = new Date().toISOString();
    const { created } = await this.suppressions.add({ email: claim.email, reason: 'unsubscribed', at, source: claim.newsletterId }, scope);
    if (created) await this.announce(claim, at);
    this.logger.log(
      { newsletterId: claim.newsletterId, list: scope.kind === 'global' ? 'global' : `tenant:${scope.tenant}`, alreadySuppressed: !created },
      'Unsubscribed through a newsletter link',
    );
    if (created) {
      const { newsletterId, email } = claim;
      const tenant = scope.kind === 'global' ? {} : { tenant: scope.tenant };
      const event = { id: recipientEventId('unsubscribed', newsletterId, addressHash(email)), kind: 'unsubscribed' as const, newsletterId, occurredAt: new Date().toISOString(), email, ...tenant };
      await this.recipientEvents.publish(event)?.catch((error: unknown) => {
        this.logger.warn({ newsletterId, error: (error as Error).message }, 'recipient.unsubscribed not published');
      });
    }
    return claim;
  }

  /**
   * Best effort, after the suppression (which is what the reader asked for) is stored: an event
   * that cannot be published is not counted (logged). msgID per newsletter and address.
   */
  private async announce(claim: UnsubscribeClaim, at: string): Promise<void> {
    const msgId = `unsubscribe:${claim.newsletterId}:${addressHash(claim.email)}`;
    try {
      await this.publisher.publish(Events.UnsubscribeRecorded, { newsletterId: claim.newsletterId, occurredAt: at, email: claim.email }, { msgId });
    } catch (error) {
      this.logger.warn({ newsletterId: claim.newsletterId, error: (error as Error).message }, 'Unsubscribe not counted');
    }
  }

  private async listOf(newsletterId: string): Promise<SuppressionScope> {
    const record = await this.records.get(newsletterId).catch(() => null);
    return record ? tenantSuppressions(tenantOf(record)) : GLOBAL_SUPPRESSIONS;
  }
}
