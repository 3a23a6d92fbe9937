import type { ParsedMail } from 'mailparser';

/** The https link of an email's List-Unsubscribe header, as a mail client reads it. */
export function unsubscribeLinkOf(mail: ParsedMail): string {
  const line = mail.headerLines.find((h) => h.key === 'list-unsubscribe');
  const link = line ? /<(https:[^>]+)>/.exec(line.line)?.[1] : undefined;
  if (!link) throw new Error('The email has no https link in List-Unsubscribe');
  return link;
}

/**
 * The same link, sent to the gateway under test: PUBLIC_BASE_URL is an https origin in front of it
 * (a TLS-terminating proxy in production), so the path and token are kept and the origin replaced.
 */
export function throughGateway(link: string, gatewayBaseUrl: string): string {
  const url = new URL(link);
  return `${gatewayBaseUrl}${url.pathname}`;
}

/** The token at the end of an unsubscribe link. */
export const tokenOf = (link: string): string => link.slice(link.lastIndexOf('/') + 1);

/** The one-click request of RFC 8058, as Gmail and Yahoo send it. */
export function oneClick(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'List-Unsubscribe=One-Click',
  });
}
