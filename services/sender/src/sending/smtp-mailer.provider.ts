import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { SmtpMailer, type DeliveryOutcome, type OutgoingEmail } from '@mailroom/mailer';
import { SENDER_CONFIG, type SenderConfig } from '../config/sender.config';

/** The process's pooled SMTP transport; closed after the transport stopped handing out batches. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly smtp: SmtpMailer;

  constructor(@Inject(SENDER_CONFIG) config: SenderConfig) {
    this.smtp = new SmtpMailer(config.smtp);
  }

  send(email: OutgoingEmail): Promise<DeliveryOutcome> {
    return this.smtp.send(email);
  }

  onApplicationShutdown(): void {
    this.smtp.close();
  }
}
