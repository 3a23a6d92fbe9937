import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Events, recipientEventId, type EngagementRecordedEvent, type TrackingClaim } from '@mailroom/contracts';
import { EventPublisher, RecipientEventPublisher } from '@mailroom/jetstream';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

/**
 * The public side of tracked links and open pixels: checks a token (signed by the sender) and
 * publishes what happened for the tracker to count. Only the signature vouches for a request: these
 * routes have no API key. Counting is best effort next to the reader's request: a click whose
 * event cannot be published still redirects (logged), and the pixel is always answered.
 */
@Injectable()
export class EngagementService {
  private readonly logger = new Logger(EngagementService.name);

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly publisher: EventPublisher,
    private readonly recipientEvents: RecipientEventPublisher,
  ) {}

  /** The click or open a token stands for; undefined when it is not one of ours (tampered, cut, forged) or of the other kind. */
  claimOf<K extends TrackingClaim['kind']>(token: string, kind: K): Extract<TrackingClaim, { kind: K }> | undefined {
    const check = this.config.tracking.tokens.verify(token);
    if (!check.ok) {
      if (check.reason === 'forged') this.logger.warn({ kind }, 'Tracking link with a signature that does not match refused');
      return undefined;
    }
    if (check.claim.kind !== kind) return undefined;
    // Signed by our senders, which track http(s) links only; checked anyway before any redirect.
    if (check.claim.kind === 'click' && !/^https?:\/\//i.test(check.claim.url)) return undefined;
    return check.claim as Extract<TrackingClaim, { kind: K }>;
  }

  /**
   * Publishes the open or click; `clientAddress` and `userAgent` decide whether an open is a
   * machine's (MACHINE_OPEN_CIDRS, MACHINE_OPEN_USER_AGENTS).
   */
  async record(claim: TrackingClaim, token: string, clientAddress: string | undefined, userAgent?: string): Promise<void> {
    const at = new Date();
    const machine = claim.kind === 'open' && this.isMachine(clientAddress, userAgent);
    const event: EngagementRecordedEvent = {
      newsletterId: claim.newsletterId,
      occurredAt: at.toISOString(),
      kind: claim.kind,
      batchIndex: claim.batchIndex,
      email: claim.email,
      ...(claim.kind === 'click' ? { url: claim.url } : {}),
      ...(machine ? { machine: true } : {}),
    };
    // One message per request: a publish retried by the client library is stored once.
    const request = createHash('sha256').update(token).update(String(at.getTime())).digest('base64url');
    const msgId = `engagement:${request}`;
    try {
      await this.publisher.publish(Events.EngagementRecorded, event, { msgId });
      const kind = claim.kind === 'open' ? 'opened' : 'clicked';
      const { email, batchIndex, occurredAt, url } = event;
      await this.recipientEvents.publish({ id: recipientEventId(kind, claim.newsletterId, request), kind, newsletterId: claim.newsletterId, occurredAt, email, batchIndex, ...(url !== undefined ? { url } : {}), ...(machine ? { machine } : {}) });
    } catch (error) {
      this.logger.warn({ newsletterId: claim.newsletterId, kind: claim.kind, error: (error as Error).message }, 'Open or click not recorded');
    }
  }

  private isMachine(clientAddress: string | undefined, userAgent: string | undefined): boolean {
    const { machineOpenNetworks, machineOpenUserAgents } = this.config.tracking;
    return machineOpenNetworks.has(clientAddress) || machineOpenUserAgents.has(userAgent);
  }
}
