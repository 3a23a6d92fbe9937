import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TokenBucket } from '@mailroom/rate-limit';
import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { FEEDBACK_CONFIG, type FeedbackConfig } from '../config/feedback.config';
import { FeedbackRecorder } from '../feedback/feedback-recorder.service';
import { checkRecipient } from './recipient-policy';

/** Client addresses whose buckets are kept; past this the map starts again (a full bucket costs nothing to forget). */
const MAX_TRACKED_CLIENTS = 10_000;

/**
 * The inbound SMTP server of the bounce domain (FEEDBACK_SMTP_PORT): takes DSNs, ARF complaints
 * and whatever else reaches the domain, answers 250 once the report is recorded (JetStream stored
 * its event), 451 when it could not be (the peer retries: nothing is lost), and refuses mail for
 * any other domain at RCPT. Limits: message size, connections, and messages per client address.
 */
@Injectable()
export class FeedbackSmtpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FeedbackSmtpServer.name);
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly server: SMTPServer;

  constructor(
    @Inject(FEEDBACK_CONFIG) private readonly config: FeedbackConfig,
    private readonly recorder: FeedbackRecorder,
  ) {
    this.server = new SMTPServer({
      banner: 'Mailroom feedback',
      // Advertised in EHLO (a peer declaring a larger SIZE hears 552 at MAIL FROM), and enforced:
      // smtp-server answers 552 to a message that went over it whatever onData says. It still
      // streams the whole message to onData, which stops keeping it past the limit (readWithin).
      size: config.maxMessageBytes,
      rejectOversized: true,
      maxClients: config.maxConnections,
      authOptional: true,
      // Reports come from mail servers, which need no login; TLS is for a terminating proxy in front.
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onMailFrom: (_address, session, callback) => callback(this.admit(session)),
      onRcptTo: (address, _session, callback) => {
        const verdict = checkRecipient(address.address, config.bounceDomain, config.tokens);
        callback(verdict.accept ? undefined : smtpError(verdict.code, verdict.message));
      },
      onData: (stream, session, callback) => {
        this.receive(stream, session).then(
          () => callback(),
          (error: Error & { responseCode?: number }) => callback(error),
        );
      },
    });
    this.server.on('error', (error) => this.logger.warn(`SMTP connection error: ${error.message}`));
  }

  private listening?: Promise<void>;
  private closing?: Promise<void>;

  // A hybrid Nest app (HTTP + the JetStream microservice) runs lifecycle hooks once per part: listen and close once.
  onApplicationBootstrap(): Promise<void> {
    this.listening ??= this.listen();
    return this.listening;
  }

  onApplicationShutdown(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => this.server.close(() => resolve()));
    return this.closing;
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.smtpPort, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.logger.log(`Receiving bounces and complaints for @${this.config.bounceDomain} on SMTP port ${this.config.smtpPort}`);
  }

  /** One report per message; a client over its rate hears 421 at MAIL FROM and comes back later. */
  private admit(session: SMTPServerSession): Error | undefined {
    if (this.buckets.size > MAX_TRACKED_CLIENTS) this.buckets.clear();
    const client = session.remoteAddress;
    let bucket = this.buckets.get(client);
    if (!bucket) {
      const perSecond = this.config.messagesPerMinutePerIp / 60;
      bucket = new TokenBucket({ ratePerSecond: perSecond, burst: Math.max(1, Math.ceil(this.config.messagesPerMinutePerIp / 10)) });
      this.buckets.set(client, bucket);
    }
    return bucket.tryTake() ? undefined : smtpError(421, '4.7.0 Too many messages from your address: try again later');
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const message = await readWithin(stream, this.config.maxMessageBytes);
    if (message === null) throw smtpError(552, `5.3.4 Message larger than ${this.config.maxMessageBytes} bytes`);
    const recipients = session.envelope.rcptTo.map((r) => r.address);
    try {
      await this.recorder.recordMessage(message, recipients);
    } catch (error) {
      this.logger.error(`Could not record a report: ${(error as Error).message}`);
      throw smtpError(451, '4.3.0 Could not record the report now: try again later');
    }
  }
}

/**
 * The message of a DATA stream, or null once it is larger than `maxBytes`. Never holds more than
 * `maxBytes`: past the limit what was kept is dropped and the rest is read and thrown away (the
 * peer sends the whole message before it hears the 552; the stream must be drained for smtp-server
 * to answer at all). The stream's `sizeExceeded` (smtp-server's own count) is honoured too.
 */
export function readWithin(stream: Readable & { readonly sizeExceeded?: boolean }, maxBytes: number): Promise<Buffer | null> {
  return new Promise<Buffer | null>((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    stream.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > maxBytes || stream.sizeExceeded === true) {
        over = true;
        chunks = [];
        return;
      }
      chunks.push(chunk);
    });
    stream.once('end', () => resolve(over ? null : Buffer.concat(chunks, size)));
    stream.once('error', reject);
  });
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}
