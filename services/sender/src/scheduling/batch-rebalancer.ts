import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { senderPartOfWindow, type BatchWindowsSignal } from '@mailroom/contracts';
import { BatchWindowSignals } from '@mailroom/jetstream';
import { SENDER_CONFIG, type SenderConfig } from '../config/sender.config';

/** A batch this sender works on, as the rebalancer sees it. */
export interface TrackedBatch {
  /** Set when the batch should stop at its next recipient and be held again. */
  readonly setAside: boolean;
  /** Call once, when the batch is over (whatever its outcome). */
  done(): void;
}

interface Entry {
  setAside: boolean;
}

/**
 * The batches this sender holds, per newsletter, and which of them to set aside when the
 * dispatcher's windows say a newsletter holds more than its window (pure logic, no I/O).
 *
 * Why: each sender shares its own slots between the newsletters it holds, and the senders take
 * the provider's tokens alike, so a newsletter's share across senders follows where its batches
 * are. A newsletter that had the senders to itself can fill one sender completely; one that comes
 * next then shares only the other sender, ~1 : 3, until those batches end. Holding at most its
 * part of each window (in proportion to its slots) keeps every sender's mix like the whole.
 */
export class BatchPlacement {
  private readonly running = new Map<string, Entry[]>();

  constructor(private readonly slots: number) {}

  track(newsletterId: string): TrackedBatch {
    const entry: Entry = { setAside: false };
    const list = this.running.get(newsletterId) ?? [];
    list.push(entry);
    this.running.set(newsletterId, list);
    let done = false;
    return {
      get setAside() {
        return entry.setAside;
      },
      done: () => {
        if (done) return;
        done = true;
        const left = (this.running.get(newsletterId) ?? []).filter((e) => e !== entry);
        if (left.length === 0) this.running.delete(newsletterId);
        else this.running.set(newsletterId, left);
      },
    };
  }

  /** Marks the newest batches beyond this sender's part of each window; returns how many it marked. */
  rebalance(signal: BatchWindowsSignal): number {
    let marked = 0;
    for (const [newsletterId, window] of Object.entries(signal.windows)) {
      const kept = (this.running.get(newsletterId) ?? []).filter((e) => !e.setAside);
      const excess = kept.length - senderPartOfWindow(window, this.slots, signal.slots);
      for (const entry of excess > 0 ? kept.slice(-excess) : []) {
        entry.setAside = true;
        marked += 1;
      }
    }
    return marked;
  }

  /** Batches held, not set aside, of one newsletter. */
  holding(newsletterId: string): number {
    return (this.running.get(newsletterId) ?? []).filter((e) => !e.setAside).length;
  }
}

/** Follows the dispatcher's window signals for this sender's batches (see BatchPlacement). */
@Injectable()
export class BatchRebalancer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BatchRebalancer.name);
  private readonly placement: BatchPlacement;
  private stopListening?: () => void;

  constructor(
    @Inject(SENDER_CONFIG) config: SenderConfig,
    private readonly signals: BatchWindowSignals,
  ) {
    this.placement = new BatchPlacement(config.concurrency);
  }

  onApplicationBootstrap(): void {
    this.stopListening = this.signals.onSignal((signal) => {
      const marked = this.placement.rebalance(signal);
      if (marked > 0) this.logger.debug({ marked }, 'Batches set aside: their newsletters held more than their windows');
    });
  }

  beforeApplicationShutdown(): void {
    this.stopListening?.();
  }

  track(newsletterId: string): TrackedBatch {
    return this.placement.track(newsletterId);
  }
}
