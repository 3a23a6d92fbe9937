import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { ReplaySubject } from 'rxjs';
import { NatsClient } from '@mailroom/jetstream';

export type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** Serving while connected to NATS (the HTTP readiness rule), and no longer once shutting down. */
@Injectable()
export class GrpcServingState implements BeforeApplicationShutdown {
  /** Emits (and remembers) once shutdown begins. */
  readonly stopped = new ReplaySubject<void>(1);
  private shuttingDown = false;

  constructor(private readonly nats: NatsClient) {}

  status(): ServingStatus {
    return !this.shuttingDown && this.nats.isConnected ? 'SERVING' : 'NOT_SERVING';
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
    this.stopped.next();
    this.stopped.complete();
  }
}
