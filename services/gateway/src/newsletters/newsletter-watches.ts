import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { Observable, defer, finalize } from 'rxjs';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { RateLimitedError } from '../http/api-errors';

/**
 * The open progress streams of this gateway, gRPC WatchNewsletter and HTTP server-sent events
 * alike: capped at `GRPC_MAX_WATCHES` (each one polls the tracker), and ended at shutdown before
 * the servers close, which would otherwise wait for them until the shutdown deadline.
 */
@Injectable()
export class NewsletterWatches implements BeforeApplicationShutdown {
  private open = 0;
  private readonly shutdown = new AbortController();

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  get shutdownSignal(): AbortSignal {
    return this.shutdown.signal;
  }

  /** Runs a watch stream within the cap; the slot is released however the stream ends. */
  track<T>(start: () => Observable<T>): Observable<T> {
    return defer(() => {
      if (this.open >= this.config.watch.maxStreams) {
        throw new RateLimitedError(`This gateway has ${this.open} watches open, its limit (GRPC_MAX_WATCHES); retry later`, 5);
      }
      this.open += 1;
      return start().pipe(finalize(() => (this.open -= 1)));
    });
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }
}
