import type { NewsletterView } from '@mailroom/contracts';

/**
 * What the CLI's exit code says, one code per outcome so that a script can tell them apart.
 * 64, 65 and 70 are sysexits.h's EX_USAGE, EX_DATAERR and EX_SOFTWARE.
 *
 * When several apply, the newsletter's own outcome comes first: a send that skipped rows of its
 * recipients file exits with `skippedRows` only when the rest went out cleanly (completed, or
 * accepted/scheduled without watching); a newsletter that failed, was cancelled or completed with
 * failures exits with that code whatever was skipped (the skipped rows are on stderr either way).
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
  /** `import` finished, but the gateway rejected some rows (the report names them). */
  importRejectedRows: 6,
  /**
   * A send skipped rows of its recipients file (reported on stderr) and the rest completed
   * cleanly (or was accepted / scheduled, with --no-watch or a send time).
   */
  skippedRows: 7,
  /** The command line is wrong. */
  usage: 64,
  /** The recipients file cannot be used (not UTF-8, a bad header, no usable row, or bad rows with --strict): nothing was sent. */
  badInput: 65,
  /** An unexpected error inside the CLI (a bug or an answer it cannot read): the message is on stderr. */
  internal: 70,
} as const;

/** The exit code of a newsletter that settled; `skippedRows`: rows of its recipients file were left out. */
export function exitCodeOf(view: NewsletterView, skippedRows = false): number {
  switch (view.status) {
    case 'completed':
      return skippedRows ? EXIT.skippedRows : EXIT.ok;
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
