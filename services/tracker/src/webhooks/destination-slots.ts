/**
 * At most `perDestination` holders per destination (a URL's origin) at once; the others wait in
 * order. `acquire` resolves with the function that releases the slot.
 */
export class DestinationSlots {
  private readonly busy = new Map<string, { held: number; readonly waiting: Array<() => void> }>();

  constructor(private readonly perDestination: number) {}

  async acquire(destination: string): Promise<() => void> {
    let state = this.busy.get(destination);
    if (!state) {
      state = { held: 0, waiting: [] };
      this.busy.set(destination, state);
    }
    const s = state;
    if (s.held >= this.perDestination) await new Promise<void>((resolve) => s.waiting.push(resolve));
    else s.held += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next waiter (held stays the same), or is freed.
      const next = s.waiting.shift();
      if (next) next();
      else if (--s.held === 0) this.busy.delete(destination);
    };
  }
}
