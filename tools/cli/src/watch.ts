import { isFinal, type NewsletterView } from '@mailroom/contracts';
import type { GatewayClient } from './gateway-client';
import type { ProgressDisplay } from './progress-display';

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
