import { Body, Controller, Headers, HttpCode, HttpException, HttpStatus, Inject, Logger, Param, Post } from '@nestjs/common';
import { FEEDBACK_CONFIG, type FeedbackConfig } from '../config/feedback.config';
import { FeedbackRecorder } from '../feedback/feedback-recorder.service';
import { mailgunEvent, verifyMailgun } from './mailgun';
import { postmarkEvent, verifyPostmark } from './postmark';
import { parseJson, WebhookPayloadError, WebhookVerificationError, type ProviderEvent } from './provider-event';
import { sendgridEvent, verifySendgrid } from './sendgrid';
import { sesEvents, snsUrlTrust, verifySnsMessage, type SnsTrust } from './amazon-sns';

const PROVIDERS = ['mailgun', 'sendgrid', 'postmark', 'ses'] as const;
/** SNS signing certificates seen, by URL (a few per region, rotated rarely). */
const MAX_CACHED_CERTIFICATES = 50;
type Provider = (typeof PROVIDERS)[number];

/**
 * `POST /webhooks/<provider>`: bounce and complaint events of the ESPs a deployment sends through.
 * A provider is on only when its secret is set (404 otherwise). Each request is verified first
 * (401 and nothing recorded when it fails), then every event in it is traced and recorded; 200 once
 * all are stored, 503 when they could not be (the provider retries; msgIDs make that safe).
 */
@Controller('webhooks')
export class ProviderWebhooksController {
  private readonly logger = new Logger(ProviderWebhooksController.name);

  private readonly certificates = new Map<string, Promise<string>>();
  private readonly snsTrust?: SnsTrust;

  constructor(
    @Inject(FEEDBACK_CONFIG) private readonly config: FeedbackConfig,
    private readonly recorder: FeedbackRecorder,
  ) {
    const ses = config.webhooks.ses;
    if (ses) {
      this.snsTrust = {
        topicArns: new Set(ses.topicArns),
        trustedUrl: snsUrlTrust(ses.trustedHosts),
        fetchCertificate: (url) => this.certificate(url),
      };
    }
  }

  @Post(':provider')
  @HttpCode(200)
  async receive(@Param('provider') provider: string, @Body() body: unknown, @Headers() headers: Record<string, string | undefined>): Promise<{ received: number; recorded: number }> {
    const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    let events: ProviderEvent[];
    try {
      events = await this.verified(provider, raw, headers);
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        this.logger.warn({ provider }, `Webhook refused: ${error.message}`);
        throw new HttpException({ error: 'unauthorized', message: 'The webhook could not be verified' }, HttpStatus.UNAUTHORIZED);
      }
      if (error instanceof WebhookPayloadError) throw new HttpException({ error: 'validation_failed', message: error.message }, HttpStatus.BAD_REQUEST);
      throw error;
    }
    try {
      const results = await this.recorder.recordProviderEvents(events);
      return { received: events.length, recorded: results.filter((r) => r.ok).length };
    } catch (error) {
      this.logger.error({ provider }, `Could not record webhook events: ${(error as Error).message}`);
      throw new HttpException({ error: 'service_unavailable', message: 'Could not record the events now: retry' }, HttpStatus.SERVICE_UNAVAILABLE);
    }
  }

  private async verified(provider: string, raw: Buffer, headers: Record<string, string | undefined>): Promise<ProviderEvent[]> {
    const { webhooks } = this.config;
    const now = Date.now();
    switch (provider as Provider) {
      case 'mailgun':
        if (!webhooks.mailgunSigningKey) break;
        return [mailgunEvent(verifyMailgun(parseJson(raw), webhooks.mailgunSigningKey, now, webhooks.maxAgeSeconds))];
      case 'sendgrid':
        if (!webhooks.sendgridKey) break;
        return verifySendgrid(
          raw,
          headers['x-twilio-email-event-webhook-signature'],
          headers['x-twilio-email-event-webhook-timestamp'],
          webhooks.sendgridKey,
          now,
          webhooks.maxAgeSeconds,
        ).map(sendgridEvent);
      case 'postmark':
        if (!webhooks.postmarkCredentials) break;
        verifyPostmark(headers['authorization'], webhooks.postmarkCredentials);
        return [postmarkEvent(raw)];
      case 'ses': {
        if (!this.snsTrust) break;
        const message = await verifySnsMessage(parseJson(raw), this.snsTrust);
        if (message['Type'] === 'SubscriptionConfirmation') {
          await this.confirmSubscription(message['SubscribeURL'] ?? '');
          return [];
        }
        if (message['Type'] !== 'Notification') return [];
        return sesEvents(message['MessageId'] ?? '', message['Message'] ?? '');
      }
    }
    throw new HttpException({ error: 'not_found', message: `No webhook for "${provider}" here: ${PROVIDERS.join(', ')}, each on when its secret is set` }, HttpStatus.NOT_FOUND);
  }

  /** Subscribing the topic: SNS asks us to GET its SubscribeURL (checked to be an SNS URL, as the signing certificate). */
  private async confirmSubscription(subscribeUrl: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(subscribeUrl);
    } catch {
      throw new WebhookPayloadError('SubscribeURL is not a URL');
    }
    if (!this.snsTrust?.trustedUrl(url)) throw new WebhookVerificationError('SubscribeURL is not an SNS URL');
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`SNS subscription confirmation answered ${res.status}`);
    this.logger.log('SNS subscription confirmed');
  }

  private certificate(url: URL): Promise<string> {
    const key = url.toString();
    let pending = this.certificates.get(key);
    if (!pending) {
      if (this.certificates.size >= MAX_CACHED_CERTIFICATES) this.certificates.clear();
      pending = fetch(url, { signal: AbortSignal.timeout(10_000) }).then(async (res) => {
        if (!res.ok) throw new Error(`certificate answered ${res.status}`);
        return res.text();
      });
      // A failed fetch is not kept: the next message tries again.
      pending.catch(() => this.certificates.delete(key));
      this.certificates.set(key, pending);
    }
    return pending;
  }
}
