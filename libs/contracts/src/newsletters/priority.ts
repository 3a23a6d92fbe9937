/**
 * How much of the sending capacity a newsletter gets while others are sent at the same time
 * (`priority` on the request; absent: `normal`). A weight, not an order: a `low` newsletter still
 * moves while a `high` one runs, at a quarter of its pace. Weights apply between the newsletters of
 * one tenant; tenants share equally, so marking everything `high` takes nothing from another team.
 */
export const PRIORITIES = ['high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const DEFAULT_PRIORITY: Priority = 'normal';

/** Shares between a tenant's newsletters sent at once: high gets 4 emails for every 2 of normal and 1 of low. */
export const PRIORITY_WEIGHTS: Readonly<Record<Priority, number>> = { high: 4, normal: 2, low: 1 };

/**
 * The lane a newsletter's emails take in a sender: `fast` (test sends and newsletters to one
 * recipient: someone is waiting for that one email) is served before any other, within the rate
 * limit; the others share what is left by weight.
 */
export type SendLane = 'fast' | Priority;
export const SEND_LANES: readonly SendLane[] = ['fast', ...PRIORITIES];
