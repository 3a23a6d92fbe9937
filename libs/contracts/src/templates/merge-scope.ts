import type { MergeScope } from './merge-template';

interface MergeRecipient {
  readonly email: string;
  readonly name?: string;
  readonly vars?: Readonly<Record<string, string>>;
}

/**
 * What `{{ … }}` sees for one recipient: their custom columns (`vars`) by name, then `name`,
 * `email` and `unsubscribe_url`, which a column of the same name cannot replace (a list must not
 * be able to point the unsubscribe link elsewhere). An absent name stays absent, so
 * `{{ name | default: "reader" }}` works.
 */
export function mergeScope(recipient: MergeRecipient, unsubscribeUrl: string): MergeScope {
  return { ...recipient.vars, name: recipient.name, email: recipient.email, unsubscribe_url: unsubscribeUrl };
}

/** The recipient the gateway renders a submitted template for, to catch templates that cannot render. */
export const EXAMPLE_MERGE_SCOPE: MergeScope = mergeScope(
  { email: 'reader@example.org', name: 'Example Reader' },
  'https://mailroom.example/unsubscribe/example-token',
);
