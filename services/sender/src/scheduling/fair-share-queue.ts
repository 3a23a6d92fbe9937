import { PRIORITY_WEIGHTS, type SendLane } from '@mailroom/contracts';

/** Who a send is for: its newsletter (the flow), the tenant that owns it, and its lane. */
export interface SendTicket {
  readonly newsletterId: string;
  readonly tenant: string;
  readonly lane: SendLane;
}

/** Gives the slot back; call it exactly once, when the send is over (whatever its outcome). */
export type ReleaseSlot = () => void;

interface Waiter {
  readonly lane: SendLane;
  readonly grant: (release: ReleaseSlot) => void;
  readonly fail: (reason: unknown) => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

/** One newsletter's sends waiting for a slot. `pass`: how much it has been served, in strides of 1/weight. */
interface Flow {
  readonly newsletterId: string;
  readonly weight: number;
  readonly waiting: Waiter[];
  pass: number;
}

/** One tenant's flows. Tenants are served in equal strides; `flowPass`: where its flows' passes stand. */
interface TenantFlows {
  readonly flows: Map<string, Flow>;
  pass: number;
  flowPass: number;
}

/**
 * The order in which one sender's recipients get to send (each takes a slot for its provider
 * token and SMTP transaction; `capacity` slots run at once). Batches of every newsletter in flight
 * put their recipients here, and the free slot goes to:
 *   1. the `fast` lane (test sends, one-recipient newsletters) first, in arrival order;
 *   2. otherwise the tenant that has been served least (stride scheduling, equal strides), and
 *      within it the newsletter served least for its weight (stride 1 / PRIORITY_WEIGHTS).
 * So two newsletters in flight at once move at the same pace, a small one is not queued behind a
 * large one's thousands of recipients, and a tenant's million does not slow another tenant down.
 * A flow that starts waiting joins at the current pass of its peers: it gets its share from now
 * on, no credit for the time it was idle. Picking is O(tenants + the tenant's newsletters).
 */
export class FairShareQueue {
  private running = 0;
  private readonly fast: Waiter[] = [];
  private readonly tenants = new Map<string, TenantFlows>();
  /** The pass of the tenant served last: where a tenant that starts waiting joins. */
  private tenantPass = 0;
  private readonly waitingByLane = new Map<SendLane, number>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** Sends waiting for a slot, per lane (the metrics' gauge). */
  waiting(lane: SendLane): number {
    return this.waitingByLane.get(lane) ?? 0;
  }

  /** Resolves with the slot's release once it is this send's turn; rejects with the signal's reason if aborted first. */
  acquire(ticket: SendTicket, signal: AbortSignal): Promise<ReleaseSlot> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    const free = this.tryAcquire();
    if (free) return Promise.resolve(free);
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const waiter: Waiter = {
        lane: ticket.lane,
        grant: resolve,
        fail: reject,
        signal,
        onAbort: () => {
          this.remove(ticket, waiter);
          reject(abortReason(signal));
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.enqueue(ticket, waiter);
    });
  }

  /**
   * A slot now, when one is free and nobody waits for one (then nobody's turn is taken); undefined
   * otherwise. Lets a caller skip setting up a bounded wait (a timer, an abort listener) when there
   * is nothing to wait for: the common case, once per recipient.
   */
  tryAcquire(): ReleaseSlot | undefined {
    if (this.running >= this.capacity || !this.nothingWaiting()) return undefined;
    this.running += 1;
    return this.releaser();
  }

  /** Runs `send` in a slot. */
  async run<T>(ticket: SendTicket, signal: AbortSignal, send: () => Promise<T>): Promise<T> {
    const release = await this.acquire(ticket, signal);
    try {
      return await send();
    } finally {
      release();
    }
  }

  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.dispatch();
    };
  }

  private dispatch(): void {
    while (this.running < this.capacity) {
      const waiter = this.next();
      if (!waiter) return;
      waiter.signal.removeEventListener('abort', waiter.onAbort);
      this.running += 1;
      waiter.grant(this.releaser());
    }
  }

  private nothingWaiting(): boolean {
    return this.fast.length === 0 && this.tenants.size === 0;
  }

  private enqueue(ticket: SendTicket, waiter: Waiter): void {
    this.count(ticket.lane, +1);
    if (ticket.lane === 'fast') {
      this.fast.push(waiter);
      return;
    }
    let tenant = this.tenants.get(ticket.tenant);
    if (!tenant) {
      tenant = { flows: new Map(), pass: this.tenantPass, flowPass: 0 };
      this.tenants.set(ticket.tenant, tenant);
    }
    let flow = tenant.flows.get(ticket.newsletterId);
    if (!flow) {
      flow = { newsletterId: ticket.newsletterId, weight: PRIORITY_WEIGHTS[ticket.lane], waiting: [], pass: tenant.flowPass };
      tenant.flows.set(ticket.newsletterId, flow);
    }
    flow.waiting.push(waiter);
  }

  /** The waiter whose turn it is, taken off its queue; undefined when nobody waits. */
  private next(): Waiter | undefined {
    const fast = this.fast.shift();
    if (fast) {
      this.count('fast', -1);
      return fast;
    }
    const [tenantName, tenant] = leastServed(this.tenants.entries(), (t) => t.pass);
    if (!tenant) return undefined;
    const [, flow] = leastServed(tenant.flows.entries(), (f) => f.pass);
    const waiter = flow!.waiting.shift()!;
    this.count(waiter.lane, -1);
    this.tenantPass = tenant.pass;
    tenant.pass += 1;
    tenant.flowPass = flow!.pass;
    flow!.pass += 1 / flow!.weight;
    if (flow!.waiting.length === 0) tenant.flows.delete(flow!.newsletterId);
    if (tenant.flows.size === 0) this.tenants.delete(tenantName!);
    return waiter;
  }

  private remove(ticket: SendTicket, waiter: Waiter): void {
    if (ticket.lane === 'fast') {
      const at = this.fast.indexOf(waiter);
      if (at !== -1) this.fast.splice(at, 1);
    } else {
      const tenant = this.tenants.get(ticket.tenant);
      const flow = tenant?.flows.get(ticket.newsletterId);
      const at = flow?.waiting.indexOf(waiter) ?? -1;
      if (at === -1) return;
      flow!.waiting.splice(at, 1);
      if (flow!.waiting.length === 0) tenant!.flows.delete(ticket.newsletterId);
      if (tenant!.flows.size === 0) this.tenants.delete(ticket.tenant);
    }
    this.count(ticket.lane, -1);
  }

  private count(lane: SendLane, by: number): void {
    this.waitingByLane.set(lane, (this.waitingByLane.get(lane) ?? 0) + by);
  }
}

/** The signal's reason as an Error (what the caller aborted with, normally one already). */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('Send aborted while waiting for a slot', { cause: signal.reason });
}

/** The entry with the lowest pass (the first of equals: insertion order, so ties go round-robin). */
function leastServed<K, V>(entries: Iterable<[K, V]>, passOf: (value: V) => number): [K | undefined, V | undefined] {
  let best: [K | undefined, V | undefined] = [undefined, undefined];
  let bestPass = Infinity;
  for (const [key, value] of entries) {
    const pass = passOf(value);
    if (pass < bestPass) {
      best = [key, value];
      bestPass = pass;
    }
  }
  return best;
}
