import { mergeScope, TemplateError, type NewsletterContent, type Recipient } from '@mailroom/contracts';
import type { OutgoingEmail } from '@mailroom/mailer';
import type { UnsubscribeConfig } from '../config/unsubscribe.config';
import { listUnsubscribeHeaders, messageIdFor } from './compliance-headers';
import { TemplateCache } from './template-cache';
import { unsubscribeTargets } from './unsubscribe-targets';

export type PersonalisedEmail =
  | { readonly ok: true; readonly email: OutgoingEmail }
  /** The templates do not compile or this recipient's render hit a limit: the same on every attempt. */
  | { readonly ok: false; readonly reason: string };

/**
 * One recipient's email: the newsletter's templates (compiled once, see TemplateCache) rendered with
 * their merge fields, and the headers every bulk email carries: List-Unsubscribe with its one-click
 * Post, a stable Message-ID and the newsletter id (for matching bounces).
 */
export class PersonalisedEmails {
  constructor(
    private readonly unsubscribe: UnsubscribeConfig,
    private readonly templates = new TemplateCache(),
  ) {}

  build(newsletterId: string, content: NewsletterContent, recipient: Recipient): PersonalisedEmail {
    const templates = this.templates.get(content);
    if (templates instanceof TemplateError) return { ok: false, reason: `the newsletter's template does not compile: ${templates.message}` };
    const unsubscribe = unsubscribeTargets(this.unsubscribe, { newsletterId, email: recipient.email });
    let rendered;
    try {
      rendered = templates.render(mergeScope(recipient, unsubscribe.url));
    } catch (error) {
      if (error instanceof TemplateError) return { ok: false, reason: `the template could not be rendered for this recipient: ${error.message}` };
      throw error;
    }
    return {
      ok: true,
      email: {
        from: content.from,
        to: recipient.name !== undefined ? { email: recipient.email, name: recipient.name } : { email: recipient.email },
        ...rendered,
        headers: { 'X-Mailroom-Newsletter-Id': newsletterId, ...(content.test ? { 'X-Mailroom-Test': 'true' } : {}) },
        rawHeaders: listUnsubscribeHeaders(unsubscribe),
        messageId: messageIdFor(newsletterId, recipient.email, content.from),
      },
    };
  }
}
