import { Body, Controller, Headers, HttpCode, HttpException, HttpStatus, Inject, Logger, Param, Post } from '@nestjs/common';
import { FEEDBACK_CONFIG, type FeedbackConfig } from '../config/feedback.config';
import { FeedbackRecorder } from '../feedback/feedback-recorder.service';
import { mailgunEvent, verifyMailgun } from './mailgun';
import { postmarkEvent, verifyPostmark } from './postmark';
import { parseJson, WebhookPayloadError, WebhookVerificationError, type ProviderEvent } from './provider-event';
import { sendgridEvent, verifySendgrid } from './sendgrid';

const PROVIDERS = ['mailgun', 'sendgrid', 'postmark'] as const;
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

  constructor(
    @Inject(FEEDBACK_CONFIG) private readonly config: FeedbackConfig,
    private readonly recorder: FeedbackRecorder,
  ) {}

  @Post(':provider')
  @HttpCode(200)
  async receive(@Param('provider') provider: string, @Body() body: unknown, @Headers() headers: Record<string, string | undefined>): Promise<{ received: number; recorded: number }> {
    const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    let events: ProviderEvent[];
    try {
      events = this.verified(provider, raw, headers);
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

  private verified(provider: string, raw: Buffer, headers: Record<string, string | undefined>): ProviderEvent[] {
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
    }
    throw new HttpException({ error: 'not_found', message: `No webhook for "${provider}" here: ${PROVIDERS.join(', ')}, each on when its secret is set` }, HttpStatus.NOT_FOUND);
  }
}
