import { Logger } from '@nestjs/common';
import { mergeScope, openPixelUrl, tenantOf, TemplateError, viewUrl, type NewsletterContent, type NewsletterTracking, type Recipient } from '@mailroom/contracts';
import type { OutgoingEmail } from '@mailroom/mailer';
import type { FeedbackConfig } from '../config/feedback.config';
import type { TrackingConfig } from '../config/tracking.config';
import type { UnsubscribeConfig } from '../config/unsubscribe.config';
import type { ViewConfig } from '../config/view.config';
import { listHeaders, listUnsubscribeHeaders } from './compliance-headers';
import { CustomHeadersCache } from './custom-headers-cache';
import { feedbackMarks } from './feedback-marks';
import { exactBytesIfOver, RenderBreaker, type RenderingBounds } from './render-breaker';
import { TemplateCache } from './template-cache';
import { linkTracker, trackedHtml } from './tracked-html';
import { unsubscribeTargets } from './unsubscribe-targets';

/** Used where no configuration is given (tests): the sender's defaults. */
export const DEFAULT_RENDERING_BOUNDS: RenderingBounds = { maxEmailBytes: 5 * 1024 * 1024, failuresToStop: 10 };

export type PersonalisedEmail =
  | { readonly ok: true; readonly email: OutgoingEmail }
  /** The templates do not compile or this recipient's render hit a limit: the same on every attempt. */
  | { readonly ok: false; readonly reason: string };

/** Which newsletter and batch an email belongs to: its bounce address and Message-ID name both. */
export interface BatchRef {
  readonly newsletterId: string;
  readonly batchIndex: number;
}

export interface PersonalisedEmailsConfig {
  readonly unsubscribe: UnsubscribeConfig;
  readonly feedback: FeedbackConfig;
  readonly rendering?: RenderingBounds;
  /** Open and click tracking for the newsletters that ask for it; absent: they go untracked (a warning per newsletter). */
  readonly tracking?: TrackingConfig;
  /** "View in browser" links (`{{ view_url }}`); absent: it renders empty (a warning per newsletter that uses it). */
  readonly view?: ViewConfig;
}

/** Newsletters remembered as warned about (the oldest is forgotten first). */
const MAX_WARNED_NEWSLETTERS = 1_000;

/**
 * One recipient's email: the newsletter's templates (compiled once, see TemplateCache) rendered with
 * their merge fields, and the headers every bulk email carries: List-Unsubscribe with its one-click
 * Post, List-Id, Feedback-ID, a stable signed Message-ID, the bounce address as envelope sender
 * (with BOUNCE_DOMAIN) and the newsletter id. A newsletter's `tracking` (opens, clicks) tracks its
 * HTML (and the text part made from it) for each recipient: see trackedHtml. `{{ view_url }}` is the
 * recipient's signed "view in browser" link, signed only for newsletters whose templates mention it.
 */
export class PersonalisedEmails {
  private readonly logger = new Logger('Tracking');
  private readonly breaker: RenderBreaker;
  private readonly unsubscribe: UnsubscribeConfig;
  private readonly feedback: FeedbackConfig;
  private readonly tracking: TrackingConfig | undefined;
  private readonly view: ViewConfig | undefined;
  private readonly bounds: RenderingBounds;
  private readonly customHeaders = new CustomHeadersCache();
  private readonly warnedUntracked = new Set<string>();
  private readonly warnedNoView = new Set<string>();

  constructor(
    config: PersonalisedEmailsConfig,
    private readonly templates = new TemplateCache(),
  ) {
    this.unsubscribe = config.unsubscribe;
    this.feedback = config.feedback;
    this.tracking = config.tracking;
    this.view = config.view;
    this.bounds = config.rendering ?? DEFAULT_RENDERING_BOUNDS;
    this.breaker = new RenderBreaker(this.bounds.failuresToStop);
  }

  build(batch: BatchRef, content: NewsletterContent, recipient: Recipient): PersonalisedEmail {
    const { newsletterId } = batch;
    const stopped = this.breaker.stoppedReason(newsletterId);
    if (stopped) return { ok: false, reason: stopped };
    const templates = this.templates.get(content);
    if (templates instanceof TemplateError) return { ok: false, reason: `the newsletter's template does not compile: ${templates.message}` };
    const custom = this.customHeaders.get(content);
    if (!custom.ok) return custom;
    const unsubscribe = unsubscribeTargets(this.unsubscribe, { newsletterId, email: recipient.email });
    const tracked = this.trackedBy(newsletterId, content);
    const trackedRecipient = { newsletterId, batchIndex: batch.batchIndex, email: recipient.email };
    const link = tracked?.clicks ? linkTracker(tracked.config, trackedRecipient) : undefined;
    let rendered;
    try {
      const view = templates.usesViewUrl ? this.viewUrlOf(batch, recipient.email) : '';
      rendered = templates.render(mergeScope(recipient, unsubscribe.url, view), link);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const reason = `the template could not be rendered for this recipient: ${error.message}`;
      this.breaker.failed(newsletterId, reason);
      return { ok: false, reason };
    }
    if (tracked && rendered.html !== undefined) {
      const pixelUrl = tracked.opens ? openPixelUrl(tracked.config.baseUrl, tracked.config.tokens.sign({ kind: 'open', ...trackedRecipient })) : undefined;
      rendered = { ...rendered, html: trackedHtml(rendered.html, { ...(link ? { link } : {}), ...(pixelUrl !== undefined ? { pixelUrl } : {}) }) };
    }
    const bytes = exactBytesIfOver(rendered, this.bounds.maxEmailBytes);
    if (bytes !== undefined) {
      const reason = `the email rendered for this recipient is ${bytes} bytes, above the limit of ${this.bounds.maxEmailBytes} (MAX_RENDERED_EMAIL_BYTES)`;
      this.breaker.failed(newsletterId, reason);
      return { ok: false, reason };
    }
    this.breaker.succeeded(newsletterId);
    const marks = feedbackMarks(this.feedback, { ...batch, email: recipient.email }, content.from);
    const list = listHeaders({ newsletterId, tenant: tenantOf(content), test: content.test === true, ...(content.listId !== undefined ? { listId: content.listId } : {}) }, content.from);
    return {
      ok: true,
      email: {
        from: content.from,
        to: recipient.name !== undefined ? { email: recipient.email, name: recipient.name } : { email: recipient.email },
        ...(content.replyTo !== undefined ? { replyTo: content.replyTo } : {}),
        ...rendered,
        // Mailroom's own last: the allow-list keeps X-Mailroom- names out of the custom ones anyway.
        headers: { ...custom.headers, 'X-Mailroom-Newsletter-Id': newsletterId, ...(content.test ? { 'X-Mailroom-Test': 'true' } : {}) },
        rawHeaders: { ...listUnsubscribeHeaders(unsubscribe), ...list },
        ...marks,
      },
    };
  }

  /**
   * What the newsletter's HTML tracks here: nothing for a newsletter that does not ask, or has no
   * HTML (a text-only newsletter is never tracked); nothing either, with a warning once per
   * newsletter, when this sender has no tracking configuration (PUBLIC_BASE_URL and
   * UNSUBSCRIBE_SECRET): the email still goes, untracked.
   */
  private trackedBy(newsletterId: string, content: NewsletterContent): (NewsletterTracking & { readonly config: TrackingConfig }) | undefined {
    const asked = content.tracking;
    if (asked === undefined || (!asked.opens && !asked.clicks) || content.html === undefined) return undefined;
    if (this.tracking === undefined) {
      this.warnUntracked(newsletterId);
      return undefined;
    }
    return { opens: asked.opens, clicks: asked.clicks, config: this.tracking };
  }

  /**
   * The recipient's "view in browser" link: `<PUBLIC_BASE_URL>/v/<token>`, the token sealing
   * newsletter, batch and address. Empty, with a warning once per newsletter, when this sender has
   * no PUBLIC_BASE_URL and UNSUBSCRIBE_SECRET of its own.
   */
  private viewUrlOf(batch: BatchRef, email: string): string {
    if (this.view === undefined) {
      if (warnOnce(this.warnedNoView, batch.newsletterId)) {
        this.logger.warn(
          `Newsletter ${batch.newsletterId} uses {{ view_url }}, but this sender has no PUBLIC_BASE_URL and UNSUBSCRIBE_SECRET of its own: it renders empty`,
        );
      }
      return '';
    }
    return viewUrl(this.view.baseUrl, this.view.tokens.sign({ newsletterId: batch.newsletterId, batchIndex: batch.batchIndex, email }));
  }

  private warnUntracked(newsletterId: string): void {
    if (!warnOnce(this.warnedUntracked, newsletterId)) return;
    this.logger.warn(
      `Newsletter ${newsletterId} asks for open or click tracking, but this sender has no PUBLIC_BASE_URL and UNSUBSCRIBE_SECRET of its own: its emails go out untracked`,
    );
  }
}

/** True the first time a newsletter is seen in `warned` (which keeps the last MAX_WARNED_NEWSLETTERS). */
function warnOnce(warned: Set<string>, newsletterId: string): boolean {
  if (warned.has(newsletterId)) return false;
  warned.add(newsletterId);
  if (warned.size > MAX_WARNED_NEWSLETTERS) warned.delete(warned.values().next().value!);
  return true;
}
