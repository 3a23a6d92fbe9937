import { Observable } from 'rxjs';
import { isFinal, type NewsletterView } from '@mailroom/contracts';
import type { Clock, Sleep } from '@mailroom/rate-limit';
import { ServiceUnavailableError } from '../http/api-errors';

export interface WatchOptions {
  /** The status as `GET /v1/newsletters/:id` answers it (NotFoundError, ServiceUnavailableError…). */
  readonly get: (id: string) => Promise<NewsletterView>;
  readonly pollIntervalMs: number;
  /** A tracker outage shorter than this, once the watch has started, is waited out rather than ended on. */
  readonly outageGraceMs: number;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** Aborted when the gateway shuts down: the stream ends with UNAVAILABLE, and the client can watch again. */
  readonly shutdown: AbortSignal;
}

/**
 * A newsletter's state now and on every change, completing once it is final. Polls the tracker
 * (the owner of the status) every `pollIntervalMs`; one watcher is one query per interval, and
 * the poll stops as soon as the subscriber goes away (the client cancelled).
 */
export function watchNewsletter(id: string, options: WatchOptions): Observable<NewsletterView> {
  return new Observable<NewsletterView>((subscriber) => {
    const stop = new AbortController();
    const stopped = AbortSignal.any([stop.signal, options.shutdown]);
    const run = async () => {
      let last: string | undefined;
      let lastAnswerAt = options.clock.now();
      while (!stop.signal.aborted) {
        if (options.shutdown.aborted) throw new ServiceUnavailableError('The gateway is shutting down; watch again');
        let view: NewsletterView | undefined;
        try {
          view = await options.get(id);
          lastAnswerAt = options.clock.now();
        } catch (error) {
          const waitOut =
            error instanceof ServiceUnavailableError && last !== undefined && options.clock.now() - lastAnswerAt < options.outageGraceMs;
          if (!waitOut) throw error;
        }
        if (view) {
          const seen = JSON.stringify(view);
          if (seen !== last && !stop.signal.aborted) subscriber.next(view);
          last = seen;
          if (isFinal(view.status)) return;
        }
        await options.sleep(options.pollIntervalMs, stopped).catch(() => undefined);
      }
    };
    run().then(
      () => subscriber.complete(),
      (error: unknown) => subscriber.error(error),
    );
    return () => stop.abort();
  });
}
