import { isFinal, type NewsletterView } from '@mailroom/contracts';
import type { GatewayClient } from './gateway-client';
import type { ProgressDisplay } from './progress-display';

/** Exit codes: 0 completed, 2 completed with failures, 1 failed (or any error). */
export function exitCodeOf(view: NewsletterView): number {
  if (view.status === 'completed') return 0;
  if (view.status === 'completed_with_failures') return 2;
  return 1;
}

/** Polls the newsletter until it settles, updating the display; resolves with the final view. */
export async function watchNewsletter(
  client: GatewayClient,
  id: string,
  display: ProgressDisplay,
  intervalMs = 1_000,
): Promise<NewsletterView> {
  for (;;) {
    const view = await client.get(id);
    if (isFinal(view.status)) {
      display.finish(view);
      return view;
    }
    display.update(view);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
