import type { Topology } from '../topology';

/**
 * What the splitter's dispatcher tells the senders when a newsletter holds more batches than its
 * window allows (the window shrank because another newsletter came) while batches wait for a
 * sender's slot: each newsletter's window and the senders' slots, so that a sender holding more
 * than its part of a window sets the excess aside (see the sender's BatchRebalancer). Core NATS,
 * no stream: advisory, lost when nobody listens, sent again at the dispatcher's next look.
 */
export interface BatchWindowsSignal {
  /** The senders' announced batch slots, all together. */
  readonly slots: number;
  /** Per newsletter id in flight: how many of its batches may be in the queue. */
  readonly windows: Readonly<Record<string, number>>;
}

/** `<ns>.signal.batch-windows` (no stream captures `<ns>.signal.*`). */
export function batchWindowsSubject(t: Topology): string {
  return `${t.subjectPrefix}signal.batch-windows`;
}

/** The signal from its JSON, or undefined when it is not one (a message from another version, say). */
export function parseBatchWindowsSignal(json: string): BatchWindowsSignal | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { slots, windows } = value as { slots?: unknown; windows?: unknown };
  if (!Number.isInteger(slots) || (slots as number) < 1 || typeof windows !== 'object' || windows === null) return undefined;
  const valid: Record<string, number> = {};
  for (const [id, window] of Object.entries(windows)) if (Number.isInteger(window) && (window as number) >= 1) valid[id] = window as number;
  return { slots: slots as number, windows: valid };
}

/**
 * How many of a newsletter's batches one sender should hold at most: its part of the newsletter's
 * window, in proportion to its slots (rounded up, so the parts cover the window).
 */
export function senderPartOfWindow(window: number, senderSlots: number, totalSlots: number): number {
  return Math.ceil((senderSlots * window) / Math.max(senderSlots, totalSlots));
}
