import { createTransport, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { classifySmtpError } from './classify-smtp-error';
import type { DeliveryOutcome } from './delivery-outcome';

export interface SmtpOptions {
  /** `smtp://user:pass@host:587` or `smtps://…`; credentials in the URL never reach a log. */
  readonly url: string;
  /** Parallel SMTP connections (and so parallel transactions) of this process. */
  readonly maxConnections: number;
  /** Messages per connection before it is recycled. */
  readonly maxMessages: number;
  readonly connectionTimeoutMs: number;
  readonly greetingTimeoutMs: number;
  readonly socketTimeoutMs: number;
}

export const DEFAULT_SMTP_POOL = {
  maxConnections: 5,
  maxMessages: 1000,
  connectionTimeoutMs: 10_000,
  greetingTimeoutMs: 10_000,
  socketTimeoutMs: 60_000,
} as const;

export interface OutgoingEmail {
  readonly from: string;
  readonly to: { readonly email: string; readonly name?: string };
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  /** Extra headers (already validated: no CR/LF). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A pooled SMTP connection to one server. `send` never throws: it reports an outcome. */
export class SmtpMailer {
  private readonly transport: Transporter<SMTPPool.SentMessageInfo>;

  constructor(options: SmtpOptions) {
    this.transport = createTransport({
      url: options.url,
      pool: true,
      maxConnections: options.maxConnections,
      maxMessages: options.maxMessages,
      connectionTimeout: options.connectionTimeoutMs,
      greetingTimeout: options.greetingTimeoutMs,
      socketTimeout: options.socketTimeoutMs,
      // nodemailer logs nothing by default; keep it that way (its debug output includes credentials).
      logger: false,
      debug: false,
    } as SMTPPool.Options);
  }

  async send(email: OutgoingEmail): Promise<DeliveryOutcome> {
    try {
      const info = await this.transport.sendMail({
        from: email.from,
        to: email.to.name ? { name: email.to.name, address: email.to.email } : email.to.email,
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers: email.headers,
      });
      if (info.rejected.length > 0) {
        return classifySmtpError(info.rejectedErrors?.[0] ?? { message: 'recipient rejected' });
      }
      const response = String(info.response ?? '');
      return { kind: 'accepted', code: Number(/^\d{3}/.exec(response)?.[0] ?? 250), response };
    } catch (error) {
      return classifySmtpError(error);
    }
  }

  /** Checks that the server answers and accepts our credentials. */
  async verify(): Promise<void> {
    await this.transport.verify();
  }

  close(): void {
    this.transport.close();
  }
}
