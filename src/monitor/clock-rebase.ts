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

/** How a place's move is to be made, as the store needs it (PowerStore.rebase). */
export interface PlaceRebase {
  rebase: Rebase;
  /** After a start on a clock behind: whether this run heard the place, and set its status from its own clock. */
  heard: boolean;
  statusSet: boolean;
}

/**
 * What the monitor knows about clock steps for its run: the moves still due per place, where its
 * run begins in the clock's current base, and — after a start on a clock behind the previous
 * run's — which places it heard, so such a run's step moves only what the run wrote.
 */
export class ClockRebases {
  private readonly pending = new PendingRebases();
  /** When this run started, in the clock's current base: what a step moves begins here. */
  private runSince: number;
  /**
   * Places whose whole record moves with the clock, not only what this run stored: a step back
   * longer than the run showed that what the previous run stored was ahead of the clock too.
   */
  private readonly sinceOf = new Map<number, number>();
  /** Set when this run started on a clock behind the previous run's, until a step brings it past. */
  private behind: { runFirstEventId: number; previousRunUntil: number } | null = null;
  /** Since such a start: the places whose heartbeat this run stored, and whose status it set from one. */
  private ofRun: { heard: Set<number>; statusSet: Set<number> } | null = null;

  constructor(runStart: number) {
    this.runSince = runStart;
  }

  /**
   * At start: `lastAliveAt` is the previous run's last mark, `runFirstEventId` the highest interval
   * id before this run wrote any. Returns by how much the clock is behind the previous run's (0:
   * it is not, within `toleranceMs`).
   */
  started(lastAliveAt: number | null, runFirstEventId: number, toleranceMs: number, watchingFrom = this.runSince): number {
    // Compared with when this run starts watching: a standby that takes over from a leader (on
    // PostgreSQL) began its run before the leader's last mark, and its clock is not behind for that.
    const from = Math.max(this.runSince, watchingFrom);
    if (lastAliveAt === null || lastAliveAt - from <= toleranceMs) return 0;
    this.behind = { runFirstEventId, previousRunUntil: lastAliveAt };
    this.ofRun = { heard: new Set(), statusSet: new Set() };
    return lastAliveAt - from;
  }

  /** The wall clock stepped by `deltaMs`: every one of `ids` has its times to move. */
  stepped(ids: readonly number[], deltaMs: number): void {
    if (this.behind) {
      this.pending.add(ids, this.runSince, deltaMs, this.behind.runFirstEventId);
    } else {
      for (const id of ids) this.pending.add([id], this.sinceOf.get(id) ?? this.runSince, deltaMs);
    }
    this.runSince += deltaMs;
    // The clock is past where the previous run stopped: from now on time tells the runs apart.
    if (this.behind && this.runSince >= this.behind.previousRunUntil) this.behind = null;
  }

  /**
   * After a start on a clock behind the previous run's: remembers that this run heard the place,
   * and that it set its status's "since" from its own clock (a heartbeat's time, or a deadline's
   * last heartbeat that this run heard).
   */
  wrote(id: number, statusBefore: number | null, statusAfter: number | null, heartbeat: boolean): void {
    if (!this.ofRun) return;
    if (heartbeat) this.ofRun.heard.add(id);
    if (statusAfter !== statusBefore && this.ofRun.heard.has(id)) this.ofRun.statusSet.add(id);
  }

  /** The move still due for the place (tentatively taken, see PendingRebases). */
  take(id: number): PlaceRebase | null {
    const rebase = this.pending.take(id);
    if (!rebase) return null;
    return { rebase, heard: this.ofRun?.heard.has(id) ?? false, statusSet: this.ofRun?.statusSet.has(id) ?? false };
  }

  /** The store moved the place's times from `from`: a whole record moved keeps moving whole. */
  moved(id: number, rebase: Rebase, from: number): void {
    if (from !== rebase.since) this.sinceOf.set(id, from);
  }

  has(id: number): boolean {
    return this.pending.has(id);
  }

  next(count: number): number[] {
    return this.pending.next(count);
  }

  committed(): void {
    this.pending.committed();
  }

  rolledBack(): void {
    this.pending.rolledBack();
  }

  get size(): number {
    return this.pending.size;
  }
}
