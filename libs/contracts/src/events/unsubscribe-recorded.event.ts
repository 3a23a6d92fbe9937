import { IsString, MaxLength } from 'class-validator';
import { NewsletterEvent } from './event-base';

/**
 * A recipient left through a newsletter's unsubscribe link (its one-click POST), and that put their
 * address on the suppression list: it was not there before. Published by the gateway after the
 * suppression is stored; msgID `unsubscribe:<newsletterId>:<address hash>`. The tracker counts it in
 * the newsletter's `unsubscribes`, each recipient once per newsletter. The link names no batch, so
 * unlike `engagement.recorded` there is no batch index.
 */
export class UnsubscribeRecordedEvent extends NewsletterEvent {
  /** The recipient (from the sealed token; only hashed into keys). */
  @IsString()
  @MaxLength(320)
  email!: string;
}
