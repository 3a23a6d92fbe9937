import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { Observable, defer, finalize, takeUntil, timer } from 'rxjs';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { RateLimitedError } from '../http/api-errors';

/**
 * The open progress streams of this gateway, gRPC WatchNewsletter and HTTP server-sent events
 * alike: capped at `GRPC_MAX_WATCHES` (each one polls the tracker) and at `WATCH_MAX_PER_KEY` per
 * API key (one key cannot take every slot), each ended after `WATCH_MAX_AGE_MS` (a newsletter
 * scheduled a month ahead does not hold a slot for a month: the client watches again), and all
 * ended at shutdown before the servers close, which would otherwise wait for them until the
 * shutdown deadline.
 */
@Injectable()
export class NewsletterWatches implements BeforeApplicationShutdown {
  private open = 0;
  private readonly perKey = new Map<string, number>();
  private readonly shutdown = new AbortController();

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  get shutdownSignal(): AbortSignal {
    return this.shutdown.signal;
  }

  /** Runs `key`'s watch stream within the caps and its maximum age; the slots are released however the stream ends. */
  track<T>(start: () => Observable<T>, key: string): Observable<T> {
    return defer(() => {
      if (this.open >= this.config.watch.maxStreams) {
        throw new RateLimitedError(`This gateway has ${this.open} watches open, its limit (GRPC_MAX_WATCHES); retry later`, 5);
      }
      const mine = this.perKey.get(key) ?? 0;
      if (mine >= this.config.watch.maxPerKey) {
        throw new RateLimitedError(`This API key has ${mine} watches open on this gateway, its limit (WATCH_MAX_PER_KEY); close one or retry later`, 5);
      }
      this.open += 1;
      this.perKey.set(key, mine + 1);
      return start().pipe(
        takeUntil(timer(this.config.watch.maxAgeMs)),
        finalize(() => {
          this.open -= 1;
          const left = (this.perKey.get(key) ?? 1) - 1;
          if (left > 0) this.perKey.set(key, left);
          else this.perKey.delete(key);
        }),
      );
    });
  }

  /** Open watches of `key` (tests, metrics). */
  openFor(key: string): number {
    return this.perKey.get(key) ?? 0;
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }
}
