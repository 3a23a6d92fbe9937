/** The gateway's public route of "view in browser" links: `<PUBLIC_BASE_URL>/v/<token>`. */
export const VIEW_ROUTE = 'v';

/** A recipient's `{{ view_url }}`; `baseUrl` has no trailing slash. */
export function viewUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/${VIEW_ROUTE}/${token}`;
}
