import { PassThrough } from 'node:stream';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { OneWriteSmtpConnection } from './one-write-smtp-connection';

export type SmtpError = SMTPConnection.SMTPError;
export type SentInfo = SMTPConnection.SentMessageInfo;

/** What one SMTP transaction on a connection gave. */
type Transmission =
  | { readonly ok: true; readonly info: SentInfo }
  /**
   * `unsent`: not a byte of the message left (the failure came before DATA). `afterMessage`: the
   * whole message, and so the final dot, had gone out: the failure came while waiting for the
   * reply to the end of DATA, and the server may have taken the message.
   */
  | { readonly ok: false; readonly error: SmtpError; readonly unsent: boolean; readonly afterMessage: boolean };

export interface ConnectionSettings {
  /**
   * From nodemailer's parseConnectionUrl: host, port, secure, TLS and auth options of the URL,
   * plus the timeouts. `socketTimeout` is the idle limit of every step but one (below).
   */
  readonly options: SMTPConnection.Options & { readonly socketTimeout: number };
  readonly credentials?: SMTPConnection.Credentials;
  /**
   * The idle limit while waiting for the reply to the end of DATA. RFC 5321 §4.5.3.2.6 gives
   * that reply 10 minutes: the server may be filtering or relaying the message before it answers,
   * and giving up sooner is what sends a message twice (it was taken, we retry).
   */
  readonly dataTimeoutMs: number;
}

/**
 * One open, greeted and (if the URL has credentials) authenticated SMTP connection. It keeps a
 * permanent 'error' listener (an EventEmitter without one would crash the process) and knows when
 * the server has closed it, typically after it sat idle.
 */
export class PooledConnection {
  messages = 0;
  private closed = false;
  private sending = false;

  private constructor(
    private readonly smtp: SMTPConnection,
    private readonly settings: ConnectionSettings,
    private readonly onClosed: (connection: PooledConnection) => void,
  ) {
    smtp.on('error', () => {
      // During a transaction the send callback gets the same error and decides; otherwise the
      // server dropped an idle connection, and the 'end' that follows retires it.
    });
    smtp.once('end', () => this.retire());
  }

  /** Connects, waits for the greeting and EHLO, logs in. Rejects with nodemailer's error (code, command). */
  static open(settings: ConnectionSettings, onClosed: (connection: PooledConnection) => void): Promise<PooledConnection> {
    return new Promise((resolve, reject) => {
      // nodemailer logs nothing unless asked; its debug output would include credentials.
      const smtp = new OneWriteSmtpConnection({ ...settings.options, logger: false, debug: false });
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        smtp.close();
        // Passed on as is (no instanceof check: errors from Node's own realm fail it under jest),
        // with nodemailer's code and command for classification.
        reject(error);
      };
      smtp.on('error', fail);
      smtp.once('end', () => fail(Object.assign(new Error('Connection closed before the session was ready'), { code: 'ECONNECTION', command: 'CONN' })));
      const ready = () => {
        if (settled) return;
        settled = true;
        smtp.removeListener('error', fail);
        smtp.removeAllListeners('end');
        resolve(new PooledConnection(smtp, settings, onClosed));
      };
      smtp.connect((error) => {
        if (error) return fail(error);
        // Like nodemailer's pool: log in only when the URL has credentials and the server offers AUTH.
        const offersAuth = (smtp as unknown as { allowsAuth?: boolean }).allowsAuth === true;
        if (!settings.credentials || !offersAuth) return ready();
        smtp.login({ credentials: settings.credentials }, (loginError) => (loginError ? fail(loginError) : ready()));
      });
    });
  }

  get usable(): boolean {
    return !this.closed && !this.smtp.destroyed;
  }

  /**
   * One transaction: MAIL FROM, RCPT TO, DATA. Never rejects. Once the whole message has gone to
   * nodemailer (which ends it with the final dot), the socket's idle limit becomes the DATA
   * timeout until the reply comes; then it is the socket timeout again.
   */
  transmit(envelope: SMTPConnection.Envelope, raw: Buffer): Promise<Transmission> {
    this.messages += 1;
    this.sending = true;
    const body = new PassThrough();
    let finished = false;
    body.once('end', () => {
      if (!finished) this.setIdleTimeout(this.settings.dataTimeoutMs);
    });
    body.end(raw);
    return new Promise((resolve) => {
      this.smtp.send(envelope, body, (error, info) => {
        finished = true;
        this.sending = false;
        this.setIdleTimeout(this.settings.options.socketTimeout);
        if (error) resolve({ ok: false, error, unsent: body.readableDidRead === false, afterMessage: body.readableEnded });
        else resolve({ ok: true, info });
      });
    });
  }

  /** RSET after a refused message, so the connection can carry the next one. False: retire it. */
  reset(): Promise<boolean> {
    if (!this.usable) return Promise.resolve(false);
    return new Promise((resolve) => this.smtp.reset((error) => resolve(!error)));
  }

  get busy(): boolean {
    return this.sending;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.smtp.close();
  }

  /**
   * nodemailer arms one idle timer on its socket (`socketTimeout`) and has no per-step limit:
   * re-arming that timer is the way to give one step longer. The socket is the TLS one after
   * STARTTLS, the one nodemailer listens on for 'timeout'.
   */
  private setIdleTimeout(ms: number): void {
    const socket = this.smtp._socket;
    if (socket && !socket.destroyed) socket.setTimeout(ms);
  }

  private retire(): void {
    this.closed = true;
    this.onClosed(this);
  }
}
