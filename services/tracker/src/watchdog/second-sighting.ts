/**
 * Acts only on what two consecutive looks agree on. A batch can look stranded for an instant (a
 * sender was handed it and has not taken its lease yet; a resumed batch is between the parked and
 * the batches stream); one interval later such a batch has moved on, a truly stranded one has not.
 */
export class SecondSighting {
  private previous = new Set<string>();
  private current = new Set<string>();

  /** Records `key` as seen in this look; true when the previous look saw it too. */
  confirm(key: string): boolean {
    this.current.add(key);
    return this.previous.has(key);
  }

  /** Ends a look: what it saw becomes "the previous look"; anything not seen again is forgotten. */
  endLook(): void {
    this.previous = this.current;
    this.current = new Set();
  }

  /** Forgets everything (leadership lost: the next leader starts afresh). */
  reset(): void {
    this.previous = new Set();
    this.current = new Set();
  }
}
