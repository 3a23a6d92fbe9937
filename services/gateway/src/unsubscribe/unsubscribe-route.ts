import type { Request } from 'express';
import { UNSUBSCRIBE_ROUTE } from '@mailroom/contracts';

/** Largest body of an unsubscribe request: mail clients send `List-Unsubscribe=One-Click` (26 bytes). */
export const UNSUBSCRIBE_BODY_LIMIT_BYTES = 4 * 1024;

/**
 * A request to a public unsubscribe link (`/unsubscribe/<token>`). Its one-click POST comes from
 * mail clients as a form (RFC 8058: `List-Unsubscribe=One-Click`, urlencoded, or multipart from
 * some), never as JSON, so the JSON-only body rules do not apply to it.
 */
export function isUnsubscribeRequest(req: Request): boolean {
  return req.path.startsWith(`/${UNSUBSCRIBE_ROUTE}/`);
}
