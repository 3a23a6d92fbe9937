import type { Logger } from '@nestjs/common';
import type { TrackerLeadership } from './tracker-leadership.service';

export interface LeaderPeriodicJobOptions {
  /** Named in the log line of a run that failed. */
  readonly name: string;
  readonly everyMs: number;
  readonly run: () => Promise<void>;
  readonly logger: Logger;
  /** When this replica starts leading, before the first run (e.g. export a series at 0). */
  readonly onLead?: () => void;
  /** When it stops leading (forget what only the leader keeps). */
  readonly onFollow?: () => void;
}

/**
 * A job the leading tracker runs every `everyMs` (the watchdog, the cancel deadline, the retention
 * cleaner): started and stopped with leadership, never two runs at once (a slow run makes the next
 * tick skip), a failed run logged and tried again at the next tick, the run in progress awaited at
 * shutdown.
 */
export class LeaderPeriodicJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly options: LeaderPeriodicJobOptions) {}

  /** Follows leadership from now on (call from onModuleInit). */
  attach(leadership: TrackerLeadership): void {
    leadership.onChange((leading) => (leading ? this.start() : this.stop()));
  }

  /** Stops ticking and waits for the run in progress (call from onApplicationShutdown). */
  async shutdown(): Promise<void> {
    this.stop();
    await this.running;
  }

  private start(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), this.options.everyMs);
    this.timer.unref();
    this.options.onLead?.();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.options.onFollow?.();
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.options
      .run()
      .catch((error: unknown) => this.options.logger.error({ error: (error as Error).message }, `${this.options.name} failed`))
      .finally(() => (this.running = undefined));
  }
}
