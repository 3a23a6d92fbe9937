import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { SenderStoppingError } from './rate-limit-wait.errors';

/**
 * Aborted when shutdown begins (before the transport stops pulling, which Nest does right after
 * this hook). Every wait for a token or a connection listens to it: in-flight SMTP transactions
 * finish and are recorded, nothing new starts, and held batches go back to the queue at once
 * instead of waiting out SHUTDOWN_TIMEOUT_MS for tokens.
 */
@Injectable()
export class SendingShutdown implements BeforeApplicationShutdown {
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  beforeApplicationShutdown(): void {
    this.controller.abort(new SenderStoppingError());
  }
}
