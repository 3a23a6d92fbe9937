import type { NewsletterView } from '@mailroom/contracts';

/**
 * What the CLI's exit code says, one code per outcome so that a script can tell them apart.
 * 64 and 65 are sysexits.h's EX_USAGE and EX_DATAERR.
 */
export const EXIT = {
  /** Done: the newsletter completed, or the command did what it was asked. */
  ok: 0,
  /** The newsletter failed: nobody could be sent to. */
  failed: 1,
  /** The newsletter completed, but some recipients failed. */
  completedWithFailures: 2,
  /** The newsletter was cancelled. */
  cancelled: 3,
  /** The gateway refused the request (4xx: invalid, unauthorised, not found, conflict, rate-limited). */
  refused: 4,
  /** The gateway could not be reached or failed (5xx): trying again later may work. */
  unavailable: 5,
  /** The command line is wrong. */
  usage: 64,
  /** The recipients file cannot be used (not UTF-8, a bad header, or bad rows with --strict): nothing was sent. */
  badInput: 65,
} as const;

/** The exit code of a newsletter that settled. */
export function exitCodeOf(view: NewsletterView): number {
  switch (view.status) {
    case 'completed':
      return EXIT.ok;
    case 'completed_with_failures':
      return EXIT.completedWithFailures;
    case 'cancelled':
      return EXIT.cancelled;
    default:
      return EXIT.failed;
  }
}

/** The exit code of a gateway answer that is not a success (status 0: no answer at all). */
export function exitCodeOfStatus(status: number): number {
  return status >= 400 && status < 500 ? EXIT.refused : EXIT.unavailable;
}
