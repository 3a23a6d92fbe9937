import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SuppressionRecords } from '@mailroom/jetstream';

/**
 * At start, moves suppressions stored under the old key (the address as written, local part in
 * its case) to their mailbox key (`suppressionKey`), so an opt-out recorded as
 * `Reader2998@example.org` also stops `reader2998@example.org`. Splitters and senders follow the
 * bucket live and see the moved keys at once. Cheap once done: entries already under their key
 * are only read. A failure is logged and the upgrade runs again at the next start.
 */
@Injectable()
export class SuppressionKeyUpgrade implements OnApplicationBootstrap {
  private readonly logger = new Logger(SuppressionKeyUpgrade.name);

  constructor(private readonly records: SuppressionRecords) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    try {
      const { scanned, upgraded } = await this.records.upgradeKeys();
      if (upgraded > 0) this.logger.log({ scanned, upgraded, ms: Date.now() - started }, 'Suppression keys upgraded to mailbox keys');
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'Suppression key upgrade failed; it runs again at the next start');
    }
  }
}
