/**
 * Places whose "the service was not watching" span (after a restart, or after its storage
 * failed) is not recorded yet. At 100,000 places recording them all at once holds the start for
 * seconds, so it is done in the background in small batches — and, before anything else, for any
 * place a heartbeat, a deadline or an admin touches first: no decision about a place is ever taken
 * on its state from before the gap.
 *
 * A place counts as recorded only once the transaction that recorded it has committed: `take`
 * marks it tentatively, `committed` makes it final, `rolledBack` forgets the attempt.
 */
export class PendingGaps {
  /** Place id → the last moment it was surely watched (null: never, e.g. a first start). */
  private readonly gaps = new Map<number, number | null>();
  private readonly tentative = new Set<number>();

  /** Adds places whose gap begins at `lastAliveAt`; a place already waiting keeps the earlier start. */
  add(ids: Iterable<number>, lastAliveAt: number | null): void {
    for (const id of ids) {
      const known = this.gaps.get(id);
      this.gaps.set(id, known === undefined ? lastAliveAt : earliest(known, lastAliveAt));
    }
  }

  /** The gap's start if the place still needs one recorded (and not already in this transaction). */
  take(id: number): { lastAliveAt: number | null } | null {
    if (!this.gaps.has(id) || this.tentative.has(id)) return null;
    this.tentative.add(id);
    return { lastAliveAt: this.gaps.get(id) ?? null };
  }

  /** Up to `count` places still waiting, for the next background batch. */
  next(count: number): number[] {
    const batch: number[] = [];
    for (const id of this.gaps.keys()) {
      if (batch.length >= count) break;
      if (!this.tentative.has(id)) batch.push(id);
    }
    return batch;
  }

  committed(): void {
    for (const id of this.tentative) this.gaps.delete(id);
    this.tentative.clear();
  }

  rolledBack(): void {
    this.tentative.clear();
  }

  get size(): number {
    return this.gaps.size;
  }
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null || b === null) return null;
  return Math.min(a, b);
}
