import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { ambiguousOutcome, classifySmtpError } from './classify-smtp-error';
import { MessageComposer, type ComposedEmail } from './compose/compose-email';
import type { DeliveryOutcome } from './delivery-outcome';
import type { DkimSigningKey } from './dkim/dkim-signing-key';
import type { OutgoingEmail } from './outgoing-email';
import { SmtpConnectionPool } from './pool/smtp-connection-pool';
import type { PooledConnection, SentInfo, SmtpError } from './pool/pooled-connection';

/** Pool size and timeouts of one SMTP server's connections. */
export interface SmtpPoolOptions {
  /** Parallel SMTP connections (and so parallel transactions) of this process. */
  readonly maxConnections: number;
  /** Messages per connection before it is recycled. */
  readonly maxMessages: number;
  readonly connectionTimeoutMs: number;
  readonly greetingTimeoutMs: number;
  /** Idle limit of every step of a session but one: waiting for the reply to the end of DATA. */
  readonly socketTimeoutMs: number;
  /**
   * Idle limit while waiting for the reply to the end of DATA (RFC 5321 §4.5.3.2.6: 10 minutes).
   * No reply within it is an `ambiguous` outcome: the server may have taken the message.
   */
  readonly dataTimeoutMs: number;
}

export interface SmtpOptions extends SmtpPoolOptions {
  /** `smtp://user:pass@host:587` or `smtps://…`; credentials in the URL never reach a log. */
  readonly url: string;
  /** Keys of the sending domains to DKIM-sign for; a message from another domain goes out unsigned. */
  readonly dkim?: readonly DkimSigningKey[];
}

export const DEFAULT_SMTP_POOL: SmtpPoolOptions = {
  maxConnections: 5,
  maxMessages: 1000,
  connectionTimeoutMs: 10_000,
  greetingTimeoutMs: 10_000,
  socketTimeoutMs: 60_000,
  dataTimeoutMs: 600_000,
};

export interface SmtpSendOptions {
  /**
   * Runs once the server has accepted the message, before the connection goes back to the pool:
   * the connection waits for it. The sender stores the outcome here, so that when the process
   * dies each connection has at most one accepted message whose outcome is not stored yet.
   */
  readonly beforeRelease?: (outcome: DeliveryOutcome) => Promise<void>;
}

/** An open connection reserved for one message: `send` it, or `release` it unused. */
export interface SmtpSession {
  /**
   * Every SMTP failure is an outcome; rejects only with the error of `beforeRelease`. Gives the
   * connection back.
   */
  send(message: ComposedEmail, options?: SmtpSendOptions): Promise<DeliveryOutcome>;
  release(): void;
}

export type SmtpConnectResult = { readonly ok: true; readonly session: SmtpSession } | { readonly ok: false; readonly outcome: DeliveryOutcome };

// Connection-level failures of a reused connection: the server had closed it while it was idle.
const STALE_CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT']);

/**
 * A reused connection failed before a byte of the message went out, in a way that says the server
 * had given up on it while it sat idle: the socket is gone, or the server's parting "421 Timeout"
 * (sent as it closed) was read as the reply to our MAIL FROM.
 */
function staleConnection(error: SmtpError): boolean {
  return STALE_CONNECTION_CODES.has(error.code ?? '') || (error.responseCode === 421 && error.command === 'MAIL FROM');
}

/**
 * Pooled SMTP to one server. Two steps for callers that pace their sends (`connect`, then take a
 * rate-limit token, then `session.send`), or `send` for one step. Neither throws on an SMTP
 * failure: it is an outcome (accepted, transient, permanent, or ambiguous when the reply to the
 * end of DATA never came) with the failed command.
 */
export class SmtpMailer {
  private readonly pool: SmtpConnectionPool;
  private readonly composer: MessageComposer;

  constructor(options: SmtpOptions) {
    this.composer = new MessageComposer(options.dkim ?? []);
    const { auth, ...connection } = parseConnectionUrl(options.url);
    const credentials = auth && 'user' in auth && typeof auth.user === 'string' ? { user: auth.user, pass: String(auth.pass ?? '') } : undefined;
    this.pool = new SmtpConnectionPool({
      options: {
        ...connection,
        connectionTimeout: options.connectionTimeoutMs,
        greetingTimeout: options.greetingTimeoutMs,
        socketTimeout: options.socketTimeoutMs,
      },
      ...(credentials ? { credentials } : {}),
      dataTimeoutMs: options.dataTimeoutMs,
      maxConnections: options.maxConnections,
      maxMessages: options.maxMessages,
    });
  }

  /** Composes (and DKIM-signs) a message; rejects with ComposeError when it cannot be built. */
  compose(email: OutgoingEmail): Promise<ComposedEmail> {
    return this.composer.compose(email);
  }

  /**
   * Waits for an open, idle connection (opening one when the pool has room). A connection that
   * cannot be opened is an outcome (transient, command CONN); rejects only when `signal` aborts.
   */
  async connect(signal?: AbortSignal): Promise<SmtpConnectResult> {
    let connection: PooledConnection;
    try {
      connection = await this.pool.acquire(signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      return { ok: false, outcome: classifySmtpError(error) };
    }
    return { ok: true, session: this.session(connection) };
  }

  /** An idle open connection right now, without waiting; undefined when none is free (then `connect`). */
  tryConnect(): SmtpSession | undefined {
    const connection = this.pool.tryAcquire();
    return connection ? this.session(connection) : undefined;
  }

  /** One message, no pacing: connect, then send. */
  async send(email: OutgoingEmail): Promise<DeliveryOutcome> {
    let message: ComposedEmail;
    try {
      message = await this.compose(email);
    } catch (error) {
      return { kind: 'permanent', reason: (error as Error).message, hardBounce: false };
    }
    const connected = await this.connect();
    return connected.ok ? connected.session.send(message) : connected.outcome;
  }

  close(): void {
    this.pool.close();
  }

  private session(first: PooledConnection): SmtpSession {
    let done = false;
    return {
      release: () => {
        if (done) return;
        done = true;
        this.pool.release(first, true);
      },
      send: async (message, options) => {
        if (done) throw new Error('This SMTP session was already used');
        done = true;
        return this.transmit(first, message, options?.beforeRelease);
      },
    };
  }

  private async transmit(
    first: PooledConnection,
    message: ComposedEmail,
    beforeRelease: SmtpSendOptions['beforeRelease'],
  ): Promise<DeliveryOutcome> {
    let connection = first;
    for (let attempt = 1; ; attempt++) {
      const reused = connection.messages > 0;
      const result = await connection.transmit({ from: message.envelope.from, to: [...message.envelope.to] }, message.raw);
      if (result.ok) {
        const outcome = accepted(result.info);
        try {
          if (outcome.kind === 'accepted') await beforeRelease?.(outcome);
        } finally {
          this.pool.release(connection, true);
        }
        return outcome;
      }
      const { error } = result;
      if (result.afterMessage && error.responseCode === undefined) {
        // The message and its final dot went out, and no reply came (timeout, or the connection
        // dropped): the server may have taken it. Never sent again from here, and not a transient
        // failure for the caller to retry either.
        this.pool.release(connection, false);
        return ambiguousOutcome(error);
      }
      if (attempt === 1 && reused && result.unsent && staleConnection(error)) {
        // The server had closed this idle connection and nothing was sent: once more, on a new one.
        this.pool.release(connection, false);
        try {
          connection = await this.pool.acquire();
        } catch (openError) {
          return classifySmtpError(openError);
        }
        continue;
      }
      // A refused message leaves the connection fine (RSET and reuse it), except a 421 that closes it.
      const refused = (error.code === 'EENVELOPE' || error.code === 'EMESSAGE') && error.responseCode !== 421;
      this.pool.release(connection, refused && (await connection.reset()));
      return classifySmtpError(error);
    }
  }
}

function accepted(info: SentInfo): DeliveryOutcome {
  if (info.rejected.length > 0) return classifySmtpError(info.rejectedErrors?.[0] ?? { message: 'recipient rejected' });
  const response = String(info.response ?? '');
  return { kind: 'accepted', code: Number(/^\d{3}/.exec(response)?.[0] ?? 250), response };
}
