import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Events, type ScheduleEntry } from '@mailroom/contracts';
import { EventPublisher, NewsletterRecords, Schedules, type LiveView } from '@mailroom/jetstream';

/** setTimeout's ceiling (about 24.8 days): a later date is re-armed when the timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const RETRY_MS = 5_000;

/**
 * Starts scheduled newsletters at their `sendAt`. Schedules live in KV (they survive restarts of
 * every service) and are followed live; every splitter replica arms a timer, and the first to fire
 * wins (the request's msgID is the newsletter id; the record moves from scheduled to queued by CAS).
 */
@Injectable()
export class NewsletterScheduler implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(NewsletterScheduler.name);
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private live?: LiveView<ScheduleEntry>;

  constructor(
    private readonly schedules: Schedules,
    private readonly records: NewsletterRecords,
    private readonly publisher: EventPublisher,
  ) {}

  async onModuleInit(): Promise<void> {
    this.live = await this.schedules.follow((id, entry) => this.arm(id, entry));
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.live?.close();
  }

  private arm(id: string, entry: ScheduleEntry | undefined, delayMs?: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    if (!entry) return;
    const due = delayMs ?? Math.max(0, Date.parse(entry.sendAt) - Date.now());
    const timer = setTimeout(() => {
      if (due > MAX_TIMER_MS) return this.arm(id, this.live?.get(id));
      this.fire(id).catch((error: unknown) => {
        this.logger.warn({ newsletterId: id, error: (error as Error).message }, 'Scheduled start failed; retrying');
        this.arm(id, this.live?.get(id), RETRY_MS);
      });
    }, Math.min(due, MAX_TIMER_MS));
    timer.unref();
    this.timers.set(id, timer);
  }

  private async fire(id: string): Promise<void> {
    const entry = this.live?.get(id);
    if (!entry) return;
    const record = await this.records.get(id);
    if (record?.status === 'scheduled') {
      await this.publisher.publish(Events.NewsletterRequested, entry.request, { msgId: id });
      await this.records.queue(id);
      this.logger.log({ newsletterId: id, sendAt: entry.sendAt }, 'Scheduled newsletter started');
    } else if (!record) {
      // Records are kept until a newsletter has settled, so this is a record removed by hand or
      // one that expired under an older version (a bucket-wide max_age from the submit): nothing
      // can be sent without it, but it must not vanish without a word.
      this.logger.warn({ newsletterId: id, sendAt: entry.sendAt }, 'Scheduled newsletter has no record (removed or expired); its schedule is dropped and nothing is sent');
    }
    // Started, cancelled or gone: the schedule is done either way.
    await this.schedules.remove(id);
  }
}
