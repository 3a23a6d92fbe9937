import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BatchWindowSignals, Leadership, SenderSlots, NewsletterControls, ParkedBatches, QueuedBatches, type LeaderElection } from '@mailroom/jetstream';
import { SPLITTER_CONFIG, type SplitterConfig } from '../config/splitter.config';

/** Batch slots of the senders kept free for a newsletter that comes next (see windowOf). */
export const RESERVED_SLOTS = 2;
/** How long the senders' announced slots are trusted before they are read again. */
const SLOTS_READ_EVERY_MS = 5_000;

/**
 * Batches each newsletter may have in the queue: the senders' slots, less RESERVED_SLOTS kept
 * free so that a newsletter submitted next starts at once, shared by the newsletters in flight;
 * never fewer than BATCH_WINDOW (also what applies when no sender has announced its slots).
 *
 * A newsletter none of whose batches has completed yet keeps BATCH_WINDOW: newsletters submitted
 * within one batch's time of each other (say, two sent "together", one a few hundred ms behind
 * the other) must start as equals. Had the first been let in with the whole lone window, its
 * batches could fill one sender completely (senders pull from one FIFO), and that sender would
 * give it all of its share of the provider's rate until those batches ended (fair share is per
 * sender): ~3 : 1 against the second with 2 senders. With 2 senders and BATCH_WINDOW no more than
 * one sender's slots, whichever slots the first's batches take, the second's BATCH_WINDOW fills
 * the rest, and each sender then holds either one newsletter or both: even shares. Once a batch
 * has completed, the window grows (a newsletter alone still fills the senders, one batch's time
 * later). What this does not cover: a newsletter that comes after another has grown still starts
 * in the RESERVED_SLOTS and gets less than an even share until enough of the other's batches
 * end (about one batch's time); with 3 or more senders, the placement of batches can still favour
 * one (fair share is per sender, and senders take the provider's tokens alike).
 */
export function windowOf(batchWindow: number, senderSlots: number, newsletters: number, batchCompleted: boolean): number {
  if (!batchCompleted) return batchWindow;
  return Math.max(batchWindow, Math.floor((senderSlots - RESERVED_SLOTS) / Math.max(1, newsletters)));
}

/**
 * Whether the senders are told the windows (BatchWindowsSignal): some newsletter holds more
 * batches than its window, and the queue holds more batches than the senders have slots (so some
 * wait for one: what a sender sets aside goes to them). Not when a test send or a one-batch
 * newsletter merely narrowed the windows for a moment while slots were free.
 */
export function shouldSignalWindows(overWindow: boolean, batchesInQueue: number, senderSlots: number): boolean {
  return overWindow && senderSlots > 0 && batchesInQueue > senderSlots;
}

/**
 * Longest a look may take. Its NATS requests have timeouts of their own, but a look that never
 * settled would stop every later one (each only asks for "one more"): past this, the next look
 * starts anyway (the old one, should it still finish, lets in at most one window more).
 */
const LOOK_DEADLINE_MS = 10_000;
/** Shortest time between two looks, however many batches complete meanwhile. */
const MIN_LOOK_GAP_MS = 50;
/** How often the leader looks when no batch completes (a completion wakes it at once). */
export const DISPATCH_INTERVAL_MS = 250;
/** The dispatcher's leader lease is renewed this often; a crashed leader is replaced within ~2.5×. */
const LEADER_RENEW_MS = 2_000;

/**
 * Lets held batches into the batch queue a window at a time: each newsletter has at most its
 * window of batches in the queue (waiting or in a sender's hands; see windowOf: the senders' slots
 * less two, shared by the newsletters in flight, at least BATCH_WINDOW), so the senders' one FIFO
 * consumer serves the newsletters in flight in turn, a newsletter submitted behind a large one
 * finds a free slot and waits for a window of it, not for all of it, and a newsletter sent alone
 * still fills (almost) every sender. (Within a sender, FairShareQueue then shares
 * the sending slots between the batches in flight.) When a window shrinks below what its
 * newsletter already holds while batches wait for a slot, the senders are told the windows
 * (BatchWindowSignals; see shouldSignalWindows) and set aside what they hold beyond their part.
 *
 * State lives in the streams, none here: each look counts the queue's and the parked stream's
 * messages per newsletter (two stream-info requests) and releases the difference, oldest first.
 * One splitter replica leads; a second one releasing at the same time (a takeover) can at worst
 * let in up to one extra window. A paused newsletter's batches stay parked until it is resumed;
 * a cancelled one's are let in, to be dropped and counted by the senders.
 */
@Injectable()
export class BatchDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BatchDispatcher.name);
  private readonly election: LeaderElection;
  private timer?: NodeJS.Timeout;
  private stopWatching?: () => void;
  /** The look in progress, and whether another was asked for meanwhile. */
  private looking?: Promise<void>;
  private again = false;
  private slotsRead?: { readonly at: number; readonly total: number };
  private lastLookAt = 0;
  /** Per newsletter: batches completed since the last look (from `batch.completed`). */
  private completions = new Map<string, number>();
  /** Newsletters with parked batches of which a batch has completed since this replica leads (see windowOf). */
  private readonly underWay = new Set<string>();
  /** Per newsletter: what the last look saw and let in, and how many of its queued batches are completed but not yet acknowledged. */
  private readonly seen = new Map<string, { queued: number; released: number; unacked: number }>();
  private pending?: NodeJS.Timeout;

  constructor(
    @Inject(SPLITTER_CONFIG) private readonly config: SplitterConfig,
    private readonly queue: QueuedBatches,
    private readonly parked: ParkedBatches,
    private readonly controls: NewsletterControls,
    private readonly senderSlots: SenderSlots,
    private readonly windowSignals: BatchWindowSignals,
    leadership: Leadership,
  ) {
    this.election = leadership.elect({ role: 'dispatcher', renewMs: LEADER_RENEW_MS, onChange: (leading) => this.onLeadership(leading) });
  }

  onApplicationBootstrap(): void {
    if (this.config.batchWindow === 0) return;
    this.election.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.onLeadership(false);
    await this.election.stop();
    await this.looking;
  }

  private onLeadership(leading: boolean): void {
    clearInterval(this.timer);
    clearTimeout(this.pending);
    this.pending = undefined;
    this.stopWatching?.();
    this.stopWatching = undefined;
    if (!leading) return;
    this.timer = setInterval(() => this.wake(), DISPATCH_INTERVAL_MS);
    this.timer.unref();
    // A completed batch frees a place in its newsletter's window: look at once.
    this.stopWatching = this.queue.onBatchCompleted((newsletterId) => {
      if (newsletterId !== undefined) this.completions.set(newsletterId, (this.completions.get(newsletterId) ?? 0) + 1);
      this.wake();
    });
    this.wake();
  }

  /**
   * Starts a look, or asks for one more after the one in progress; never two within
   * MIN_LOOK_GAP_MS (at full speed dozens of batches complete per second, and each look costs
   * NATS two stream-info requests: the window holds enough batches to cover the gap).
   */
  private wake(): void {
    if (this.looking || this.pending) {
      this.again = this.again || this.looking !== undefined;
      return;
    }
    const gap = this.lastLookAt + MIN_LOOK_GAP_MS - Date.now();
    if (gap > 0) {
      this.pending = setTimeout(() => {
        this.pending = undefined;
        this.wake();
      }, gap);
      this.pending.unref();
      return;
    }
    this.lastLookAt = Date.now();
    this.looking = withDeadline(this.look(), LOOK_DEADLINE_MS)
      .catch((error: unknown) => this.logger.warn({ error: (error as Error).message }, 'Dispatch look failed; trying again'))
      .finally(() => {
        this.looking = undefined;
        if (this.again && this.election.isLeader) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async look(): Promise<void> {
    const held = await this.parked.countsByNewsletter();
    if (held.size === 0) return;
    const queued = await this.queue.countsByNewsletter();
    const slots = await this.slots();
    const inFlight = new Set([...held.keys(), ...queued.keys()]).size;
    const completions = this.completions;
    this.completions = new Map();
    for (const id of [...this.seen.keys()]) if (!held.has(id)) this.seen.delete(id);
    for (const id of [...this.underWay]) if (!held.has(id)) this.underWay.delete(id);
    const windows = new Map<string, number>();
    let occupied = [...queued.values()].reduce((sum, n) => sum + n, 0);
    let overWindow = false;
    for (const [newsletterId, waiting] of held) {
      if (!this.election.isLeader) return;
      const inQueue = queued.get(newsletterId) ?? 0;
      const completed = completions.get(newsletterId) ?? 0;
      const unacked = this.unacknowledged(newsletterId, inQueue, completed);
      occupied -= unacked;
      if (completed > 0) this.underWay.add(newsletterId);
      if (this.controls.stateOf(newsletterId) === 'paused') continue;
      const window = windowOf(this.config.batchWindow, slots, inFlight, this.underWay.has(newsletterId));
      windows.set(newsletterId, window);
      // Batches completed whose acknowledgement has not reached the stream (lost in a NATS
      // leader election: they stay until their ack wait runs out) hold no sender: not counted.
      const room = window - (inQueue - unacked);
      if (room < 0) overWindow = true;
      const released = room > 0 ? await this.parked.release(newsletterId, Math.min(room, waiting)) : 0;
      this.seen.set(newsletterId, { queued: inQueue, released, unacked });
      if (released > 0) this.logger.debug({ newsletterId, released, unacked }, 'Held batches let into the queue');
    }
    // A window shrank (another newsletter came) below what its newsletter holds, and batches wait
    // for a sender's slot: the senders set aside what they hold beyond their part of each window.
    if (shouldSignalWindows(overWindow, occupied, slots)) this.windowSignals.publish({ slots, windows: Object.fromEntries(windows) });
  }

  /**
   * How many of the newsletter's queued batches have completed (a `batch.completed` seen) without
   * leaving the queue: since the last look, the queue lost `acknowledged` messages (what was there
   * plus what was let in, less what is there now) while `completed` batches reported.
   */
  private unacknowledged(newsletterId: string, inQueue: number, completed: number): number {
    const last = this.seen.get(newsletterId);
    if (!last) return 0;
    const acknowledged = Math.max(0, last.queued + last.released - inQueue);
    return Math.min(inQueue, Math.max(0, last.unacked + completed - acknowledged));
  }

  /** The senders' batch slots, read again at most every SLOTS_READ_EVERY_MS; 0 when unknown. */
  private async slots(): Promise<number> {
    const now = Date.now();
    if (this.slotsRead && now - this.slotsRead.at < SLOTS_READ_EVERY_MS) return this.slotsRead.total;
    const total = await this.senderSlots.total(now).catch(() => this.slotsRead?.total ?? 0);
    this.slotsRead = { at: now, total };
    return total;
  }
}

/** The promise, or a rejection once `ms` passed without it settling. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
