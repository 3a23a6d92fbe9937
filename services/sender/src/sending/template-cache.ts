import type { NewsletterContent, TemplateError } from '@mailroom/contracts';
import { compileNewsletter, type CompiledNewsletter } from './newsletter-templates';

/**
 * A newsletter's templates are compiled once per process, not once per recipient or batch. Keyed
 * by the content object ContentCache hands out for the newsletter, so an entry lives exactly as
 * long as that content is cached (a WeakMap: nothing to evict here).
 */
export class TemplateCache {
  private readonly compiled = new WeakMap<NewsletterContent, CompiledNewsletter | TemplateError>();

  /** The compiled templates, or why they do not compile (the same answer for every recipient). */
  get(content: NewsletterContent): CompiledNewsletter | TemplateError {
    let entry = this.compiled.get(content);
    if (entry === undefined) {
      entry = compileNewsletter(content);
      this.compiled.set(content, entry);
    }
    return entry;
  }
}
