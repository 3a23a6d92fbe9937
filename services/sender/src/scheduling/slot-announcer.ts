import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SenderSlots, SLOT_ANNOUNCE_INTERVAL_MS } from '@mailroom/jetstream';
import { SENDER_CONFIG, type SenderConfig } from '../config/sender.config';

/**
 * Tells the splitter's dispatcher how many batches this sender can hold (its SENDER_CONCURRENCY
 * after the rate cap), so that a newsletter sent alone can fill every sender's slots while a few
 * stay free for the next one (see SenderSlots). Best effort: a missed announcement only makes the
 * window fall back to BATCH_WINDOW.
 */
@Injectable()
export class SlotAnnouncer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SlotAnnouncer.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(SENDER_CONFIG) private readonly config: SenderConfig,
    private readonly slots: SenderSlots,
  ) {}

  onApplicationBootstrap(): void {
    const announce = () =>
      this.slots.announce(this.config.concurrency).catch((error: unknown) => this.logger.debug({ error: (error as Error).message }, 'Batch slots not announced'));
    void announce();
    this.timer = setInterval(() => void announce(), SLOT_ANNOUNCE_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.slots.withdraw();
  }
}
