import { Inject, Injectable } from '@nestjs/common';
import type { ScheduleEntry } from '@mailroom/contracts';
import type { Stores } from '../provisioning/provision-topology';
import { LiveKvMap, type LiveView } from '../storage/live-kv-map';
import { STORES_TOKEN } from './stores.token';

/**
 * Scheduled newsletters (KV bucket `<ns>-schedules`, key = newsletter id, value = JSON
 * ScheduleEntry: the request to publish at `sendAt`). Never expire: a schedule lasts until it
 * fires or is cancelled. The gateway writes and removes; every splitter follows them live.
 */
@Injectable()
export class Schedules {
  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  async put(newsletterId: string, entry: ScheduleEntry): Promise<void> {
    await this.stores.schedules.put(newsletterId, JSON.stringify(entry));
  }

  /** Done with (fired, cancelled, or the newsletter was never queued); removing a missing one is fine. */
  async remove(newsletterId: string): Promise<void> {
    await this.stores.schedules.delete(newsletterId);
  }

  /** Every schedule, followed live: `onChange` hears of each one loaded, then of every change (undefined: removed). */
  follow(onChange: (newsletterId: string, entry: ScheduleEntry | undefined) => void): Promise<LiveView<ScheduleEntry>> {
    return LiveKvMap.open(this.stores.schedules, (entry) => entry.json<ScheduleEntry>(), { onChange });
  }
}
