import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  compileMergeTemplate,
  ContentObjects,
  mergeScope,
  UNSUBSCRIBE_ROUTE,
  unsubscribeUrl,
  VIEW_ROUTE,
  viewUrl,
  type NewsletterContent,
  type ViewClaim,
} from '@mailroom/contracts';
import { ContentStore, ListPartsStore, findListRecipient, readNewsletterList } from '@mailroom/jetstream';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { textPage } from './view-pages';

/** Views read (and render) at once on one gateway; more get 503 and Retry-After. Each reads the newsletter's list up to its reader. */
export const MAX_VIEWS_IN_FLIGHT = 4;

export type ViewResult =
  /** The reader's copy: the newsletter's HTML as their email had it, or its text in a `<pre>`. */
  | { readonly kind: 'page'; readonly html: string }
  /** The newsletter's content is gone (past its retention), or its list no longer has the reader (a subscriber list's part removed since). */
  | { readonly kind: 'gone' }
  /** MAX_VIEWS_IN_FLIGHT are being read. */
  | { readonly kind: 'busy' };

/**
 * The public side of "view in browser" links (`{{ view_url }}`): checks a token (signed by the
 * sender) and renders that reader's copy of the newsletter again, from what is stored: the content
 * (content.json) and the reader's merge fields from the newsletter's list, read as the splitter read
 * it (readNewsletterList, shared with the tracker's watchdog). Rendered with the sender's renderer
 * (compileMergeTemplate and mergeScope: the same merge fields, the same unsubscribe link, the same
 * view link), but without what tracking adds: no open pixel, no rewritten link (viewing the page
 * counts no open and no click). Only the signature vouches for a request: the route has no API key.
 */
@Injectable()
export class ViewService {
  private readonly logger = new Logger(ViewService.name);
  private inFlight = 0;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly content: ContentStore,
    private readonly listParts: ListPartsStore,
  ) {}

  /** Whose copy of which newsletter the token names; undefined when it is not one of ours (tampered, cut, forged, another kind). */
  claimOf(token: string): ViewClaim | undefined {
    const check = this.config.view.tokens.verify(token);
    if (check.ok) return check.claim;
    if (check.reason === 'forged') this.logger.warn('View link with a signature that does not match refused');
    return undefined;
  }

  /** The reader's page. Rejects when the stores cannot be read (NATS away). */
  async render(claim: ViewClaim, token: string): Promise<ViewResult> {
    if (this.inFlight >= MAX_VIEWS_IN_FLIGHT) return { kind: 'busy' };
    this.inFlight += 1;
    try {
      return await this.renderNow(claim, token);
    } finally {
      this.inFlight -= 1;
    }
  }

  private async renderNow(claim: ViewClaim, token: string): Promise<ViewResult> {
    const { newsletterId } = claim;
    const content = await this.content.getJson<NewsletterContent>(ContentObjects.content(newsletterId));
    if (content === null) return { kind: 'gone' };
    // Only the lines that may be the reader's mailbox go through the splitter's batcher: the others
    // cannot change which line was theirs, and skipping them halves the read of a long list.
    const list = await readNewsletterList(newsletterId, { content: this.content, listParts: this.listParts }, { mailboxOf: claim.email });
    if (!list.ok) {
      this.logger.log({ newsletterId, reason: list.reason }, 'View of a newsletter whose list is gone');
      return { kind: 'gone' };
    }
    // The address's first occurrence in the list, with the merge fields the sender got. Not
    // necessarily in re-read batch `batchIndex`: the split left out who was suppressed then, and a
    // rebuilt lost batch may hold anyone; every address is in the list once.
    const recipient = await findListRecipient(list.batches, claim.email);
    if (recipient === null) return { kind: 'gone' };
    const scope = mergeScope(recipient, this.unsubscribeUrlOf(claim), this.viewUrlOf(token));
    if (content.html !== undefined) return { kind: 'page', html: compileMergeTemplate('html', content.html).render(scope) };
    const subject = compileMergeTemplate('subject', content.subject).render(scope).replace(/\s+/g, ' ').trim();
    return { kind: 'page', html: textPage(subject, compileMergeTemplate('text', content.text ?? '').render(scope)) };
  }

  /** The recipient's unsubscribe link, the one their email has (the token is deterministic); relative to the page without PUBLIC_BASE_URL. */
  private unsubscribeUrlOf(claim: ViewClaim): string {
    const token = this.config.unsubscribe.tokens.sign({ newsletterId: claim.newsletterId, email: claim.email });
    const base = this.config.view.publicBaseUrl;
    return base !== undefined ? unsubscribeUrl(base, token) : `../${UNSUBSCRIBE_ROUTE}/${token}`;
  }

  private viewUrlOf(token: string): string {
    const base = this.config.view.publicBaseUrl;
    return base !== undefined ? viewUrl(base, token) : `../${VIEW_ROUTE}/${token}`;
  }
}
