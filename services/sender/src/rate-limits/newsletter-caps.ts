import { Injectable } from '@nestjs/common';
import { PermanentError, RateLimitBuckets } from '@mailroom/jetstream';
import { SharedTokenBucket, type RateLimiter } from '@mailroom/rate-limit';
import { defaultBurst } from '../config/provider.config';

/** Newsletters with a cap sending at once on one process, give or take; beyond, the oldest bucket is dropped. */
const MAX_BUCKETS = 256;

/**
 * The per-newsletter caps (`ratePerSecond` on the request): one shared bucket per capped
 * newsletter (RateLimitBuckets), so the cap holds over every sender replica. Its token is taken before the provider's (a provider token is never held
 * while waiting for the newsletter's), so the newsletter goes at the lower of the two rates.
 */
@Injectable()
export class NewsletterCaps {
  private readonly buckets = new Map<string, { readonly ratePerSecond: number; readonly limiter: RateLimiter }>();

  constructor(private readonly sharedBuckets: RateLimitBuckets) {}

  /** The newsletter's limiter, or undefined when it has no cap. */
  limiterFor(newsletterId: string, ratePerSecond: number | undefined): RateLimiter | undefined {
    if (ratePerSecond === undefined) return undefined;
    if (!(typeof ratePerSecond === 'number' && Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
      // The gateway validates it; a stored value this wrong cannot be honoured, nor ignored.
      throw new PermanentError(`Newsletter ${newsletterId} has an invalid ratePerSecond`);
    }
    const cached = this.buckets.get(newsletterId);
    if (cached && cached.ratePerSecond === ratePerSecond) {
      // Map order is insertion order: re-insert to keep the most recently used last.
      this.buckets.delete(newsletterId);
      this.buckets.set(newsletterId, cached);
      return cached.limiter;
    }
    const limiter = new SharedTokenBucket({
      store: this.sharedBuckets.newsletter(newsletterId),
      ratePerSecond,
      burst: defaultBurst(ratePerSecond),
    });
    this.buckets.set(newsletterId, { ratePerSecond, limiter });
    if (this.buckets.size > MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
    return limiter;
  }
}
