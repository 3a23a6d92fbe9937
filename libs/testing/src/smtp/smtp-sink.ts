import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  /** The envelope sender (MAIL FROM, the Return-Path to be), not the From header: '' for a null sender. */
  readonly from: string;
  /** The envelope recipients (RCPT TO), lower-cased. */
  readonly to: readonly string[];
  readonly raw: Buffer;
  readonly receivedAt: number;
}

/** What a scripted SMTP server does with one recipient instead of accepting it. */
export type SmtpFault =
  | { readonly kind: 'reply'; readonly code: number; readonly message?: string }
  /** Close the connection without answering. */
  | { readonly kind: 'drop' }
  /** Never answer (the client's socket timeout decides). */
  | { readonly kind: 'stall' };

export interface SmtpSinkOptions {
  readonly port?: number;
  /** Decides, per recipient at RCPT TO, whether to misbehave. `attempt` counts from 1 per address. */
  readonly faultAt?: (address: string, attempt: number) => SmtpFault | undefined;
  /** Keep the raw messages (false for load tests: only counts are kept). */
  readonly keepMessages?: boolean;
  /** Wait this long before accepting each message (a slower server, so a test can act mid-send). */
  readonly latencyMs?: number;
}

/**
 * A real SMTP server for tests (npm smtp-server), recording what it accepted. Reverse DNS is off
 * (no DNS in the sandbox) and connections are pooled by the client, so it is not a bottleneck.
 */
export class SmtpSink {
  readonly messages: ReceivedMessage[] = [];
  /** Accepted messages per recipient address (lower-cased). */
  readonly deliveriesTo = new Map<string, number>();
  private readonly firstDelivery = new Map<string, number>();
  /** When each message's DATA arrived (ms, in order; every one is accepted), kept even with `keepMessages: false`: for rate checks. */
  readonly receivedAt: number[] = [];
  private readonly attempts = new Map<string, number>();
  private acceptedCount = 0;
  private connectionCount = 0;
  private waiters: Array<() => void> = [];
  private latencyMs: number;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    private readonly options: SmtpSinkOptions,
  ) {
    this.latencyMs = options.latencyMs ?? 0;
  }

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    // The server's callbacks need the sink, and the sink needs the server: bind through a holder.
    const holder: { sink?: SmtpSink } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      size: 25 * 1024 * 1024,
      onConnect: (_session, callback) => {
        holder.sink!.connectionCount += 1;
        callback();
      },
      onRcptTo: (address, session, callback) => holder.sink!.onRcptTo(address, session, callback),
      onData: (stream, session, callback) => holder.sink!.onData(stream, session, callback),
    });
    // A client killed mid-transaction (the crash tests do it) resets its socket: that is the
    // client's business, not a reason for the test process to crash.
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
    holder.sink = new SmtpSink(server, port, options);
    return holder.sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  get acceptedTotal(): number {
    return this.acceptedCount;
  }

  /** SMTP connections clients opened to the sink so far: how a test sees a client reuse its connections. */
  get connectionsOpened(): number {
    return this.connectionCount;
  }

  /** Messages accepted beyond the first one per address. */
  get duplicates(): number {
    let extra = 0;
    for (const n of this.deliveriesTo.values()) extra += Math.max(0, n - 1);
    return extra;
  }

  /** When the first message to an address was accepted (epoch ms). */
  firstDeliveryAt(address: string): number | undefined {
    return this.firstDelivery.get(address.toLowerCase());
  }

  /** How many times the server saw RCPT TO for an address (attempts, whatever the answer). */
  attemptsFor(address: string): number {
    return this.attempts.get(address.toLowerCase()) ?? 0;
  }

  /** Resolves once at least `count` messages were accepted. */
  async waitForMessages(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.acceptedCount < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`SMTP sink got ${this.acceptedCount} of ${count} messages in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1_000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Changes the latency of messages from now on (e.g. a slow provider that recovers). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  parsed(): Promise<ParsedMail[]> {
    return Promise.all(this.messages.map((m) => simpleParser(m.raw)));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const key = address.address.toLowerCase();
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const fault = this.options.faultAt?.(key, attempt);
    if (!fault) return callback();
    if (fault.kind === 'reply') {
      const error = new Error(fault.message ?? `Scripted ${fault.code}`) as Error & { responseCode: number };
      error.responseCode = fault.code;
      return callback(error);
    }
    if (fault.kind === 'drop') {
      const connection = (_session as unknown as { id: string }).id;
      for (const c of (this.server as unknown as { connections: Set<{ id: string; close(): void }> }).connections) {
        if (c.id === connection) c.close();
      }
      return;
    }
    // stall: never call back.
  }

  private onData(
    stream: NodeJS.ReadableStream,
    session: SMTPServerSession,
    callback: (err?: Error | null) => void,
  ): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      // Arrival is the end of DATA, before any scripted latency: what a provider's rate limiter sees.
      this.receivedAt.push(Date.now());
      if (this.latencyMs) setTimeout(() => this.accept(chunks, session, callback), this.latencyMs);
      else this.accept(chunks, session, callback);
    });
  }

  private accept(chunks: Buffer[], session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
    for (const address of to) {
      this.deliveriesTo.set(address, (this.deliveriesTo.get(address) ?? 0) + 1);
      if (!this.firstDelivery.has(address)) this.firstDelivery.set(address, Date.now());
    }
    if (this.options.keepMessages !== false) {
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      this.messages.push({ from, to, raw: Buffer.concat(chunks), receivedAt: Date.now() });
    }
    this.acceptedCount += 1;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
    callback();
  }
}
