/** MAX_RENDERED_EMAIL_BYTES and RENDER_FAILURES_TO_STOP. */
export interface RenderingBounds {
  readonly maxEmailBytes: number;
  readonly failuresToStop: number;
}

/** Newsletters remembered at once (the oldest is forgotten first). */
const MAX_NEWSLETTERS = 1_000;

/**
 * Render failures in a row per newsletter, in this sender. A template that fails for one
 * recipient after another (a loop past its budget for everyone but the sample the gateway
 * checked, an email past MAX_RENDERED_EMAIL_BYTES) is stopped after `failuresToStop`: its
 * remaining recipients fail at once with the reason, without spending a render budget each.
 * A success in between starts the count again (a failure that depends on one recipient's data).
 */
export class RenderBreaker {
  private readonly newsletters = new Map<string, { inARow: number; stopped?: string }>();

  constructor(private readonly failuresToStop: number) {}

  /** Why `newsletterId` is no longer rendered here, or undefined while it is. */
  stoppedReason(newsletterId: string): string | undefined {
    return this.newsletters.get(newsletterId)?.stopped;
  }

  failed(newsletterId: string, reason: string): void {
    const state = this.newsletters.get(newsletterId) ?? { inARow: 0 };
    state.inARow++;
    if (state.inARow >= this.failuresToStop && !state.stopped) {
      state.stopped = `the newsletter was stopped after its template failed for ${state.inARow} recipients in a row (last: ${reason})`;
    }
    this.remember(newsletterId, state);
  }

  succeeded(newsletterId: string): void {
    const state = this.newsletters.get(newsletterId);
    if (state && !state.stopped) state.inARow = 0;
  }

  private remember(newsletterId: string, state: { inARow: number; stopped?: string }): void {
    this.newsletters.delete(newsletterId);
    this.newsletters.set(newsletterId, state);
    if (this.newsletters.size > MAX_NEWSLETTERS) this.newsletters.delete(this.newsletters.keys().next().value!);
  }
}

type RenderedContent = { readonly subject: string; readonly html?: string; readonly text?: string };

/**
 * The bytes of a rendered email's content when they are above `maxBytes`; undefined when they are
 * not. Counted exactly only when they may be: UTF-8 takes at most 3 bytes per UTF-16 code unit, so
 * content of up to a third of the limit in code units is within it without counting (every email
 * but a huge one: counting is ~1 % of a sender's CPU per recipient).
 */
export function exactBytesIfOver(content: RenderedContent, maxBytes: number): number | undefined {
  const units = content.subject.length + (content.html?.length ?? 0) + (content.text?.length ?? 0);
  if (units * 3 <= maxBytes) return undefined;
  const bytes = renderedBytes(content);
  return bytes > maxBytes ? bytes : undefined;
}

/** Bytes of a rendered email's content (subject, HTML, text), as it will go to SMTP before encoding. */
function renderedBytes(content: RenderedContent): number {
  return Buffer.byteLength(content.subject) + Buffer.byteLength(content.html ?? '') + Buffer.byteLength(content.text ?? '');
}
