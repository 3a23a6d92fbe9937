import { hasTokens } from '../bucket/refill';

interface Lot {
  tokens: number;
  readonly validFromMs: number;
  readonly expiresAtMs: number;
}

/**
 * The tokens one replica holds, lot by lot, each spendable only inside its lease's validity window
 * `[validFromMs, expiresAtMs)`. Spending takes from the lot that expires first; a lot past its
 * expiry is dropped, never spent: that is what stops a replica from banking tokens to burst later.
 */
export class LocalLeases {
  private lots: Lot[] = [];
  private expired = 0;

  add(tokens: number, validFromMs: number, expiresAtMs: number): void {
    this.lots.push({ tokens, validFromMs, expiresAtMs });
    this.lots.sort((a, b) => a.expiresAtMs - b.expiresAtMs);
  }

  /** Spendable tokens at `nowMs`. */
  available(nowMs: number): number {
    this.dropExpired(nowMs);
    return sum(this.lots.filter((lot) => lot.validFromMs <= nowMs));
  }

  /** Tokens held, spendable now or later (reserved). */
  held(nowMs: number): number {
    this.dropExpired(nowMs);
    return sum(this.lots);
  }

  /**
   * Milliseconds until `count` tokens are spendable from lots already held, or null when the lots
   * held cannot cover `count` (a new lease is needed).
   */
  msUntilAvailable(count: number, nowMs: number): number | null {
    this.dropExpired(nowMs);
    let covered = 0;
    for (const lot of [...this.lots].sort((a, b) => a.validFromMs - b.validFromMs)) {
      covered += lot.tokens;
      if (hasTokens(covered, count)) return Math.max(0, lot.validFromMs - nowMs);
    }
    return null;
  }

  tryTake(count: number, nowMs: number): boolean {
    if (!hasTokens(this.available(nowMs), count)) return false;
    let missing = count;
    for (const lot of this.lots) {
      if (lot.validFromMs > nowMs) continue;
      const taken = Math.min(lot.tokens, missing);
      lot.tokens -= taken;
      missing -= taken;
      if (missing <= 0) break;
    }
    this.lots = this.lots.filter((lot) => lot.tokens > 0);
    return true;
  }

  /** Tokens leased but dropped unspent so far (a metric: high means chunks too big for the demand). */
  get expiredTokens(): number {
    return this.expired;
  }

  private dropExpired(nowMs: number): void {
    const live = this.lots.filter((lot) => nowMs < lot.expiresAtMs);
    if (live.length === this.lots.length) return;
    for (const lot of this.lots) if (nowMs >= lot.expiresAtMs) this.expired += lot.tokens;
    this.lots = live;
  }
}

function sum(lots: readonly Lot[]): number {
  return lots.reduce((total, lot) => total + lot.tokens, 0);
}
