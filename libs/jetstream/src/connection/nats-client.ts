/**
 * What a service may know of its NATS connection: whether it is up (readiness, the gRPC serving
 * state) and a way to wait for it. Storage and streams are reached through the repositories of
 * this library, never through the connection's handles (they are not part of the public API).
 */
export abstract class NatsClient {
  /** Connected now (false while reconnecting). */
  abstract get isConnected(): boolean;

  /** Connected, every consumer of this process bound, and not shutting down. */
  abstract get isReady(): boolean;

  /**
   * Resolves once connected (at once when connected); false after `timeoutMs` without a
   * connection. Work whose outcome must be recorded waits here instead of doing what it could not record.
   */
  abstract waitForConnection(timeoutMs: number): Promise<boolean>;
}
