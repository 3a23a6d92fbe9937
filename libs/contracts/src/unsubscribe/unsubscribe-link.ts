/** The gateway's public route of unsubscribe links: `<PUBLIC_BASE_URL>/unsubscribe/<token>`. */
export const UNSUBSCRIBE_ROUTE = 'unsubscribe';

/** The link the sender puts in an email; `baseUrl` has no trailing slash. */
export function unsubscribeUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/${UNSUBSCRIBE_ROUTE}/${token}`;
}
