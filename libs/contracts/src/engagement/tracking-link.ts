/** The gateway's public routes of tracked links and open pixels: `<PUBLIC_BASE_URL>/c/<token>` and `<PUBLIC_BASE_URL>/o/<token>`. */
export const TRACKING_ROUTES = { click: 'c', open: 'o' } as const;

/** A tracked link; `baseUrl` has no trailing slash. */
export function clickUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/${TRACKING_ROUTES.click}/${token}`;
}

/** An open pixel's address; `baseUrl` has no trailing slash. */
export function openPixelUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/${TRACKING_ROUTES.open}/${token}`;
}
