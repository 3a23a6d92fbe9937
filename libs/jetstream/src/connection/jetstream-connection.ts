import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { topology as topologyOf, type Topology } from '@mailroom/contracts';
import { makeAnsweredRequestCancelCheap } from './answered-request-cancel';
import { NatsClient } from './nats-client';

export interface NatsClientOptions {
  /** One URL or several, comma-separated. */
  readonly servers: string;
  readonly namespace: string;
  /** Connection name shown by the server (`nats server report connections`). */
  readonly name: string;
  /** Give up booting when NATS has not answered for this long. */
  readonly connectTimeoutMs?: number;
  /**
   * How long one JetStream request (a publish, a KV read or write) waits for its answer. Short on
   * purpose: a request sent to a stream leader that just died gets no answer at all, and the
   * callers retry (idempotently) until a new leader is elected; with the client's default of 10 s
   * every leader loss stalled delivery for 10–11 s although elections take 4–7 s.
   */
  readonly requestTimeoutMs?: number;
}

/** See NatsClientOptions.requestTimeoutMs. */
export const JETSTREAM_REQUEST_TIMEOUT_MS = 1_500;
/** Stream and consumer management (create, info) can take longer on a cluster; it is retried too. */
const JETSTREAM_ADMIN_TIMEOUT_MS = 10_000;

/**
 * The one NATS connection of a process, with its JetStream handles. Reconnects forever after the
 * first connection; readiness follows the connection state. Drained on application shutdown,
 * after the transport has stopped pulling (Nest closes microservices before shutdown hooks).
 *
 * Internal to this library: its handles are what the repositories (one per bucket and stream)
 * are built on, and no service reaches past them. Services see it as `NatsClient` (its state only).
 */
export class JetStreamConnection extends NatsClient implements OnApplicationShutdown {
  private readonly logger = new Logger('Nats');
  private connected = true;
  /** undefined: this process consumes nothing; false until the transport's consumers are bound. */
  private consumersBound: boolean | undefined;
  private shuttingDown = false;

  private constructor(
    readonly connection: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    /**
     * The same manager with the data path's request timeout (JETSTREAM_REQUEST_TIMEOUT_MS): for
     * stream info and message reads and removals that run all the time (the dispatcher's looks). With the admin
     * timeout, one request to a stream leader that just died held a look for 10 s, and delivery
     * stood still that long although a new leader was elected in 5.
     */
    readonly quick: JetStreamManager,
    readonly topology: Topology,
  ) {
    super();
    void this.watchStatus();
  }

  static async connect(options: NatsClientOptions): Promise<JetStreamConnection> {
    const t = topologyOf(options.namespace);
    makeAnsweredRequestCancelCheap();
    const servers = options.servers.split(',').map((s) => s.trim()).filter(Boolean);
    const timeoutMs = options.connectTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const pending = connect({
      servers,
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
      // Without this the client builds two Error objects (stack traces included) for every request,
      // KV put and JetStream publish up front, in case it fails: measured at a tenth of the
      // sender's CPU per email. Our failures are logged with the operation that failed instead.
      noAsyncTraces: true,
    });
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`NATS did not answer at ${servers.join(', ')} within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const nc = await Promise.race([pending, deadline]);
      // No API check here: on a cluster still electing its meta leader it fails; provisioning waits for JetStream with retries.
      const jsm = await jetstreamManager(nc, { timeout: JETSTREAM_ADMIN_TIMEOUT_MS, checkAPI: false });
      const requestTimeout = options.requestTimeoutMs ?? JETSTREAM_REQUEST_TIMEOUT_MS;
      const quick = await jetstreamManager(nc, { timeout: requestTimeout, checkAPI: false });
      return new JetStreamConnection(nc, jetstream(nc, { timeout: requestTimeout, checkAPI: false }), jsm, quick, t);
    } catch (error) {
      // A connect that lost the race must not keep a connection open in the background.
      pending.then((nc) => nc.close()).catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  override get isConnected(): boolean {
    return this.connected && !this.connection.isClosed();
  }

  /**
   * Resolves once connected (at once when connected); false after `timeoutMs` without a
   * connection. Work whose outcome must be recorded waits here instead of doing what it could not record.
   */
  override async waitForConnection(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isConnected) {
      if (Date.now() >= deadline || this.connection.isClosed()) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return true;
  }

  /** Called by the transport: false while binding, true once every consumer is bound. */
  setConsumersBound(bound: boolean): void {
    this.consumersBound = bound;
  }

  override get isReady(): boolean {
    return !this.shuttingDown && this.isConnected && this.consumersBound !== false;
  }

  beginShutdown(): void {
    this.shuttingDown = true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.connection.isClosed()) return;
    try {
      await this.connection.drain();
    } catch (error) {
      this.logger.warn(`NATS drain failed: ${(error as Error).message}`);
    }
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      switch (status.type) {
        case 'disconnect':
          this.connected = false;
          this.logger.warn('Disconnected from NATS; reconnecting');
          break;
        case 'reconnect':
          this.connected = true;
          this.logger.log('Reconnected to NATS');
          break;
        case 'error':
          this.logger.warn(`NATS connection error: ${String(status.error)}`);
          break;
        default:
          break;
      }
    }
  }
}
