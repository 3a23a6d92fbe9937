import { PooledConnection, type ConnectionSettings } from './pooled-connection';

interface ConnectionPoolOptions extends ConnectionSettings {
  readonly maxConnections: number;
  /** Messages per connection before it is closed and replaced. */
  readonly maxMessages: number;
}

/** The pool was closed (shutdown): nothing is handed out any more. */
class SmtpPoolClosedError extends Error {
  override readonly name: string = 'SmtpPoolClosedError';

  constructor() {
    super('The SMTP connection pool is closed');
  }
}

/**
 * Up to `maxConnections` SMTP connections to one server, handed out only once they are open,
 * greeted and logged in. That is the point of this pool (nodemailer's opens connections lazily,
 * inside the send): a caller can take a rate-limit token *after* `acquire`, so the message goes
 * out right after the token instead of after a TCP, TLS, greeting and AUTH handshake of varying
 * length, which would bunch many messages together at the provider.
 */
export class SmtpConnectionPool {
  private readonly idle: PooledConnection[] = [];
  /** Open or opening connections. */
  private size = 0;
  private readonly counted = new Set<PooledConnection>();
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: ConnectionPoolOptions) {}

  /**
   * An open, idle connection for one transaction: a reused one, or a new one when the pool has
   * room, else the next one released. Rejects with the connection error when opening fails, with
   * the signal's reason when it aborts while waiting, and with SmtpPoolClosedError after `close`.
   */
  async acquire(signal?: AbortSignal): Promise<PooledConnection> {
    for (;;) {
      if (signal?.aborted) {
        // Woken for a connection it will not take: pass the turn on so no one waits for nothing.
        this.wake();
        signal.throwIfAborted();
      }
      if (this.closed) throw new SmtpPoolClosedError();
      const reused = this.takeIdle();
      if (reused) return reused;
      if (this.size < this.options.maxConnections) return this.openOne(signal);
      await this.nextRelease(signal);
    }
  }

  /**
   * An idle connection now, without waiting (the common case on a busy pool, and no promise,
   * timer or listener to pay for); undefined when there is none or callers are already queued
   * for one (they come first).
   */
  tryAcquire(): PooledConnection | undefined {
    if (this.closed || this.waiters.length > 0) return undefined;
    return this.takeIdle();
  }

  /** Gives a connection back: kept for the next message when `reusable`, else closed. */
  release(connection: PooledConnection, reusable: boolean): void {
    if (!this.closed && reusable && connection.usable && connection.messages < this.options.maxMessages) {
      this.idle.push(connection);
    } else {
      this.discard(connection);
    }
    this.wake();
  }

  /** Closes idle connections now; busy ones close when released. */
  close(): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) this.discard(connection);
    for (const wake of this.waiters.splice(0)) wake();
  }

  get openConnections(): number {
    return this.size;
  }

  private async openOne(signal: AbortSignal | undefined): Promise<PooledConnection> {
    this.size += 1;
    let connection: PooledConnection;
    try {
      connection = await PooledConnection.open(this.options, (closed) => this.onServerClosed(closed));
    } catch (error) {
      this.size -= 1;
      this.wake();
      throw error;
    }
    this.counted.add(connection);
    if (this.closed || signal?.aborted) {
      // Opened for a caller that is gone: keep it for the next one (or close it, when closed).
      this.release(connection, true);
      signal?.throwIfAborted();
      throw new SmtpPoolClosedError();
    }
    return connection;
  }

  private takeIdle(): PooledConnection | undefined {
    for (;;) {
      const connection = this.idle.pop();
      if (!connection) return undefined;
      if (connection.usable) return connection;
      this.discard(connection);
    }
  }

  /** The server closed a connection: an idle one leaves the pool now, a busy one when released. */
  private onServerClosed(connection: PooledConnection): void {
    const index = this.idle.indexOf(connection);
    if (index < 0) return;
    this.idle.splice(index, 1);
    this.discard(connection);
    this.wake();
  }

  private discard(connection: PooledConnection): void {
    connection.close();
    if (this.counted.delete(connection)) this.size -= 1;
  }

  private nextRelease(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('The wait for an SMTP connection was aborted'));
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(wake);
    });
  }

  /**
   * One connection came back (or one slot freed up): the longest waiter gets the turn. Waking
   * them all would have every one but the first go back to sleep, re-registering its listener.
   */
  private wake(): void {
    this.waiters.shift()?.();
  }
}
