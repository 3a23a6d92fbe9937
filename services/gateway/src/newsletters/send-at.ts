import { ValidationFailedError } from '../http/api-errors';

export const MAX_SCHEDULE_AHEAD_MS = 365 * 86_400_000;

/** A date and time with its zone: `Z` or an offset (`+01:00`, `-0500`). */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A sendAt in the future (a few seconds of clock skew allowed) and within a year; normalised to
 * ISO (UTC). It must carry its zone: a time without one would be read in the server's zone, which
 * the caller cannot know.
 */
export function checkSendAt(raw: string, now = Date.now()): string {
  const at = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(at)) {
    throw new ValidationFailedError('sendAt must be an ISO 8601 date and time, e.g. 2026-12-01T09:00:00Z', 'sendAt');
  }
  if (!ISO_WITH_ZONE.test(raw)) {
    throw new ValidationFailedError('sendAt must carry its time zone: end it with Z (UTC) or an offset, e.g. 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00', 'sendAt');
  }
  if (at < now - 5_000) throw new ValidationFailedError('sendAt must be in the future', 'sendAt');
  if (at > now + MAX_SCHEDULE_AHEAD_MS) throw new ValidationFailedError('sendAt must be within a year', 'sendAt');
  return new Date(at).toISOString();
}
