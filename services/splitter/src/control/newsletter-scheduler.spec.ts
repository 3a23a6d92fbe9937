import { Logger } from '@nestjs/common';
import type { NewsletterRecord, ScheduleEntry } from '@mailroom/contracts';
import type { EventPublisher, LiveView, NewsletterRecords, Schedules } from '@mailroom/jetstream';
import { NewsletterScheduler } from './newsletter-scheduler.service';

const id = '3e1f0c9a-7b2d-4c5e-8f10-6a9b2c4d8e01';

/** A schedule due now, over stand-ins for its stores: what the scheduler does when it fires. */
async function fireWith(record: Partial<NewsletterRecord> | null) {
  const entry = { sendAt: new Date(Date.now() - 1_000).toISOString(), request: { newsletterId: id } } as unknown as ScheduleEntry;
  const entries = new Map([[id, entry]]);
  let removed!: () => void;
  const done = new Promise<void>((resolve) => (removed = resolve));
  const schedules = {
    follow: (onChange: (key: string, value: ScheduleEntry | undefined) => void): Promise<LiveView<ScheduleEntry>> => {
      const view: LiveView<ScheduleEntry> = { get: (k) => entries.get(k), has: (k) => entries.has(k), size: entries.size, close: () => undefined };
      onChange(id, entry);
      return Promise.resolve(view);
    },
    remove: jest.fn(() => {
      removed();
      return Promise.resolve();
    }),
  };
  const records = { get: jest.fn(() => Promise.resolve(record)), queue: jest.fn(() => Promise.resolve({ kind: 'updated' })) };
  const publisher = { publish: jest.fn(() => Promise.resolve()) };
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  const scheduler = new NewsletterScheduler(schedules as unknown as Schedules, records as unknown as NewsletterRecords, publisher as unknown as EventPublisher);
  try {
    await scheduler.onModuleInit();
    await done;
    return { warn: warn.mock.calls, published: publisher.publish.mock.calls.length, removed: schedules.remove.mock.calls.length };
  } finally {
    scheduler.onApplicationShutdown();
    warn.mockRestore();
    log.mockRestore();
  }
}

describe('NewsletterScheduler', () => {
  it('says so when a schedule fires and its newsletter has no record, then drops the schedule without sending', async () => {
    const { warn, published, removed } = await fireWith(null);
    expect(published).toBe(0);
    expect(removed).toBe(1);
    expect(warn).toHaveLength(1);
    expect(warn[0]![0]).toMatchObject({ newsletterId: id });
    expect(String(warn[0]![1])).toContain('has no record');
  });

  it('starts a newsletter still scheduled, and warns of nothing', async () => {
    const { warn, published, removed } = await fireWith({ id, status: 'scheduled' });
    expect(published).toBe(1);
    expect(removed).toBe(1);
    expect(warn).toHaveLength(0);
  });

  it('drops the schedule of a cancelled newsletter quietly', async () => {
    const { warn, published } = await fireWith({ id, status: 'cancelled' });
    expect(published).toBe(0);
    expect(warn).toHaveLength(0);
  });
});
