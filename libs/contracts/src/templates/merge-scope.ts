import type { MergeScope } from './merge-template';

interface MergeRecipient {
  readonly email: string;
  readonly name?: string;
  readonly vars?: Readonly<Record<string, string>>;
}

/**
 * What `{{ … }}` sees for one recipient: their custom columns (`vars`) by name, then `name`,
 * `email`, `unsubscribe_url` and `view_url`, which a column of the same name cannot replace (a list
 * must not be able to point the unsubscribe or the "view in browser" link elsewhere). An absent
 * name stays absent, so `{{ name | default: "reader" }}` works. `viewUrl`: the recipient's
 * "view in browser" link, empty when there is none (not configured, or the templates do not use it).
 */
export function mergeScope(recipient: MergeRecipient, unsubscribeUrl: string, viewUrl = ''): MergeScope {
  return { ...recipient.vars, name: recipient.name, email: recipient.email, unsubscribe_url: unsubscribeUrl, view_url: viewUrl };
}

/** Whether a template source may use `{{ view_url }}` (any mention counts: a false yes only costs a token). */
export function mentionsViewUrl(...sources: ReadonlyArray<string | undefined>): boolean {
  return sources.some((source) => source !== undefined && source.includes('view_url'));
}

/** The recipient the gateway renders a submitted template for, to catch templates that cannot render. */
export const EXAMPLE_MERGE_SCOPE: MergeScope = mergeScope(
  { email: 'reader@example.org', name: 'Example Reader' },
  'https://mailroom.example/unsubscribe/example-token',
  'https://mailroom.example/v/example-token',
);
