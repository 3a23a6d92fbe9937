import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { NatsClient } from '../connection/nats-client';

/** Readiness: connected to NATS, and (for consumers) every durable consumer bound. */
@Injectable()
export class NatsHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly client: NatsClient,
  ) {}

  check(key = 'nats'): HealthIndicatorResult {
    const indicator = this.health.check(key);
    const details = { connected: this.client.isConnected, ready: this.client.isReady };
    return this.client.isReady ? indicator.up(details) : indicator.down(details);
  }
}
