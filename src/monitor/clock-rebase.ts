/**
 * Places whose stored times are still in the clock's base from before a step (src/clock-steps.ts).
 *
 * A step means the wall clock was wrong by its size (a server without a real-time clock runs on a
 * made-up time from its boot until NTP answers), so the times this run stored are moved with it:
 * every time at or after `since` (the run's start, in the old base) moves by `deltaMs` — the open
 * interval, the ones before it back to the run's start, the last heartbeat, the "since" of the
 * status, the deadline. What the previous runs stored stays. After that the record is in one base:
 * deadlines fall a full timeout after the last heartbeat in time that really passed, an interval
 * that spans the step lasts what it really lasted, and a backward step cannot make a new interval
 * start before the one it follows.
 *
 * At 100,000 places moving them all at once holds the service for seconds, so it is done in the
 * background in batches — and, before anything else, for any place a heartbeat, a deadline or an
 * admin touches first (like the unknown spans of pending-gaps.ts). A place counts as moved only
 * once the transaction that moved it has committed: `take` marks it tentatively, `committed` makes
 * it final, `rolledBack` forgets the attempt.
 */
export interface Rebase {
  /** Stored times at or after this (in the base they were stored in) move. */
  since: number;
  /** By how much: the sum of the steps not yet applied to the place. */
  deltaMs: number;
  /**
   * Set when this run started on a clock behind the previous run's: its times and the previous
   * run's are mixed, so what moves is told by who wrote it, not by its time: the intervals with an
   * id above this one (and the end of the one open at the start), the last heartbeat if this run
   * heard the place, the status's "since" if an interval of this run begins then.
   */
  runFirstEventId?: number;
}

export class PendingRebases {
  private readonly places = new Map<number, Rebase>();
  private readonly tentative = new Set<number>();
  /** Steps that came while the place's earlier move was tentative: they apply after it. */
  private readonly later = new Map<number, Rebase>();

  /**
   * A step of `deltaMs` for these places; `since` is the run's start in the base before it. A
   * place still waiting for an earlier step keeps that step's `since` and way of choosing (its
   * record is still in that base) and moves by both.
   */
  add(ids: Iterable<number>, since: number, deltaMs: number, runFirstEventId?: number): void {
    const step: Rebase = runFirstEventId === undefined ? { since, deltaMs } : { since, deltaMs, runFirstEventId };
    for (const id of ids) {
      const target = this.tentative.has(id) ? this.later : this.places;
      const known = target.get(id);
      target.set(id, known ? { ...known, deltaMs: known.deltaMs + deltaMs } : { ...step, deltaMs });
    }
  }

  /** The move still due for the place (and not already in this transaction). */
  take(id: number): Rebase | null {
    const rebase = this.places.get(id);
    if (!rebase || this.tentative.has(id)) return null;
    this.tentative.add(id);
    return rebase;
  }

  /** Whether the place still waits for its move. */
  has(id: number): boolean {
    return this.places.has(id);
  }

  /** Up to `count` places still waiting, for the next background batch. */
  next(count: number): number[] {
    const batch: number[] = [];
    for (const id of this.places.keys()) {
      if (batch.length >= count) break;
      if (!this.tentative.has(id)) batch.push(id);
    }
    return batch;
  }

  committed(): void {
    for (const id of this.tentative) this.places.delete(id);
    this.tentative.clear();
    for (const [id, rebase] of this.later) this.places.set(id, rebase);
    this.later.clear();
  }

  rolledBack(): void {
    this.tentative.clear();
    for (const [id, rebase] of this.later) {
      const known = this.places.get(id);
      this.places.set(id, known ? { ...known, deltaMs: known.deltaMs + rebase.deltaMs } : rebase);
    }
    this.later.clear();
  }

  get size(): number {
    return this.places.size;
  }
}
