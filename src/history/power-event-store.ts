import type { SyncDatabase } from '../db/sync-database.js';
import type { Selectable } from 'kysely';
import type { EdgeKind, IntervalStatus, PowerEventsTable } from '../db/schema.js';
import { prepareStatements } from '../db/prepared-statement.js';
import { statementPlan } from '../db/statement-plan.js';
import { queryBuilder } from '../db/sync-query.js';

/** One row of `power_events`: an interval of a location's power history. */
export type PowerEvent = Selectable<PowerEventsTable>;

/** An interval as the bot, the CSV export and the schedule history read it. */
export type PowerEventRow = Pick<PowerEvent, 'status' | 'started_at' | 'ended_at' | 'start_edge'>;

/** The interval still open (at most one per location: the power_events_open index). */
export type OpenPowerEvent = Pick<PowerEvent, 'status' | 'started_at' | 'start_edge'>;

/** An interval as the monitor appends it. */
export interface NewPowerEvent {
  status: IntervalStatus;
  startedAt: number;
  endedAt: number | null;
  edge: EdgeKind;
}

const COLUMNS = ['status', 'started_at', 'ended_at', 'start_edge'] as const;

/**
 * What the render worker reads (on its read-only connection): a location's intervals that overlap
 * [from, to), oldest first; one still open counts as lasting.
 */
export const renderPlans = {
  overlapping: statementPlan((p: { placeId: number; from: number; to: number }) =>
    queryBuilder
      .selectFrom('power_events')
      .select(['status', 'started_at', 'ended_at', 'start_edge'])
      .where('location_id', '=', p.placeId)
      .where('started_at', '<', p.to)
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', p.from)]))
      .orderBy('started_at')
      .orderBy('id'),
  ),
};
export type PowerEventRenderPlans = typeof renderPlans;

const plans = {
  open: statementPlan((p: { placeId: number }) =>
    queryBuilder.selectFrom('power_events').select(['status', 'started_at', 'start_edge']).where('location_id', '=', p.placeId).where('ended_at', 'is', null),
  ),
  closeOpen: statementPlan((p: { placeId: number; at: number }) =>
    queryBuilder
      .updateTable('power_events')
      // Never before it began (a clock stepped back). CASE, not max(a, b): SQLite's two-argument
      // max is PostgreSQL's greatest, and CASE is both's.
      .set((eb) => ({ ended_at: eb.case().when(eb.val(p.at), '>', eb.ref('started_at')).then(eb.val(p.at)).else(eb.ref('started_at')).end() }))
      .where('location_id', '=', p.placeId)
      .where('ended_at', 'is', null),
  ),
  append: statementPlan((p: { placeId: number; status: IntervalStatus; startedAt: number; endedAt: number | null; edge: EdgeKind }) =>
    queryBuilder
      .insertInto('power_events')
      .values({ location_id: p.placeId, status: p.status, started_at: p.startedAt, ended_at: p.endedAt, start_edge: p.edge }),
  ),
  recent: statementPlan((p: { placeId: number; limit: number }) =>
    queryBuilder
      .selectFrom('power_events')
      .select(COLUMNS)
      .where('location_id', '=', p.placeId)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(p.limit),
  ),
  all: statementPlan((p: { placeId: number }) =>
    queryBuilder.selectFrom('power_events').select(COLUMNS).where('location_id', '=', p.placeId).orderBy('started_at').orderBy('id'),
  ),
  underWayAt: statementPlan((p: { placeId: number; at: number }) =>
    queryBuilder
      .selectFrom('power_events')
      .select(COLUMNS)
      .where('location_id', '=', p.placeId)
      .where('started_at', '<=', p.at)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1),
  ),
  begunBetween: statementPlan((p: { placeId: number; after: number; before: number }) =>
    queryBuilder
      .selectFrom('power_events')
      .select(COLUMNS)
      .where('location_id', '=', p.placeId)
      .where('started_at', '>', p.after)
      .where('started_at', '<', p.before)
      .orderBy('started_at')
      .orderBy('id'),
  ),
  lastId: statementPlan(() => queryBuilder.selectFrom('power_events').select((eb) => eb.fn.max('id').as('id'))),
  lastUpTo: statementPlan((p: { placeId: number; id: number }) =>
    queryBuilder
      .selectFrom('power_events')
      .select(['id', 'started_at', 'ended_at'])
      .where('location_id', '=', p.placeId)
      .where('id', '<=', p.id)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1),
  ),
  shiftStartsAfterId: statementPlan((p: { placeId: number; id: number; delta: number }) =>
    queryBuilder
      .updateTable('power_events')
      .set((eb) => ({ started_at: eb('started_at', '+', p.delta) }))
      .where('location_id', '=', p.placeId)
      .where('id', '>', p.id),
  ),
  shiftEndsAfterId: statementPlan((p: { placeId: number; id: number; delta: number }) =>
    queryBuilder
      .updateTable('power_events')
      .set((eb) => ({ ended_at: eb('ended_at', '+', p.delta) }))
      .where('location_id', '=', p.placeId)
      .where('ended_at', 'is not', null)
      .where('id', '>', p.id),
  ),
  firstAfterId: statementPlan((p: { placeId: number; id: number }) =>
    queryBuilder.selectFrom('power_events').select('started_at').where('location_id', '=', p.placeId).where('id', '>', p.id).orderBy('started_at').limit(1),
  ),
  setEnd: statementPlan((p: { id: number; at: number }) => queryBuilder.updateTable('power_events').set({ ended_at: p.at }).where('id', '=', p.id)),
  firstFrom: statementPlan((p: { placeId: number; from: number }) =>
    queryBuilder
      .selectFrom('power_events')
      .select('started_at')
      .where('location_id', '=', p.placeId)
      .where('started_at', '>=', p.from)
      .orderBy('started_at')
      .limit(1),
  ),
  shiftStarts: statementPlan((p: { placeId: number; since: number; delta: number }) =>
    queryBuilder
      .updateTable('power_events')
      .set((eb) => ({ started_at: eb('started_at', '+', p.delta) }))
      .where('location_id', '=', p.placeId)
      .where('started_at', '>=', p.since),
  ),
  // Ends at or after `since` belong to intervals begun since `from` (the one under way at `since`
  // and those begun later): the index range keeps it to them, not the place's whole history.
  shiftEnds: statementPlan((p: { placeId: number; from: number; since: number; delta: number }) =>
    queryBuilder
      .updateTable('power_events')
      .set((eb) => ({ ended_at: eb('ended_at', '+', p.delta) }))
      .where('location_id', '=', p.placeId)
      .where('started_at', '>=', p.from)
      .where('ended_at', '>=', p.since),
  ),
  count: statementPlan((p: { placeId: number }) =>
    queryBuilder.selectFrom('power_events').select((eb) => eb.fn.countAll<number>().as('count')).where('location_id', '=', p.placeId),
  ),
};

/**
 * The one owner of `power_events`, the power history: the monitor opens and closes intervals
 * (inside its decision's transaction), and the bot, the CSV export, the schedule history and the
 * render worker read them. Synchronous on the main thread's connection.
 */
export class PowerEventStore {
  private readonly statements;

  constructor(sqlite: SyncDatabase) {
    this.statements = prepareStatements(sqlite, plans);
  }

  /** The location's open interval, if any (hot path). */
  openOf(placeId: number): OpenPowerEvent | undefined {
    return this.statements.open.get({ placeId });
  }

  /** Ends the open interval at `at` (never before it started). */
  closeOpen(placeId: number, at: number): void {
    this.statements.closeOpen.run({ placeId, at });
  }

  append(placeId: number, event: NewPowerEvent): void {
    this.statements.append.run({ placeId, ...event });
  }

  /** The location's last `limit` intervals, newest first. */
  recent(placeId: number, limit: number): PowerEventRow[] {
    return this.statements.recent.all({ placeId, limit });
  }

  /** The location's whole history, oldest first (what the CSV export holds). */
  all(placeId: number): PowerEventRow[] {
    return this.statements.all.all({ placeId });
  }

  /**
   * The intervals that overlap [from, to), oldest first (one still open counts as lasting). Two
   * index range reads: the interval under way at `from`, then those begun since.
   */
  between(placeId: number, from: number, to: number): PowerEventRow[] {
    const atStart = this.statements.underWayAt.get({ placeId, at: from });
    const since = this.statements.begunBetween.all({ placeId, after: from, before: to });
    const overlapsFrom = atStart && (atStart.ended_at === null || atStart.ended_at > from);
    return overlapsFrom ? [atStart, ...since] : since;
  }

  /**
   * Moves every time of the location's record at or after `since` by `deltaMs` (a step of the
   * wall clock, see src/monitor/clock-rebase.ts); an interval begun before `since` keeps its
   * start. A uniform move keeps the intervals in order, unless a step back is longer than what
   * is moved: then the moved part would begin before what stays ends, and the whole record moves
   * (the earlier times were just as wrong: they lie ahead of the corrected clock). Returns where
   * the move began: `since`, or Number.MIN_SAFE_INTEGER for the whole record.
   */
  rebaseSince(placeId: number, since: number, deltaMs: number): number {
    const before = since === Number.MIN_SAFE_INTEGER ? undefined : this.statements.underWayAt.get({ placeId, at: since - 1 });
    const from = deltaMs < 0 && this.wouldOverlap(placeId, before, since, deltaMs) ? Number.MIN_SAFE_INTEGER : since;
    // Ends move first: the range read below uses the starts as they are now.
    const spanFrom = from === since && before ? before.started_at : from;
    this.statements.shiftEnds.run({ placeId, from: spanFrom, since: from, delta: deltaMs });
    this.statements.shiftStarts.run({ placeId, since: from, delta: deltaMs });
    return from;
  }

  /** The highest interval id so far (0 when there is none): what a run stores comes after it. */
  lastId(): number {
    return Number(this.statements.lastId.get()?.id ?? 0);
  }

  /**
   * Moves what this run stored by `deltaMs`, told apart by id, not by time (a run that started on
   * a clock behind the previous run's): the intervals with an id above `runFirstId`; the one that
   * was open when the run started, if this run closed it, now ends where this run's first begins
   * (its close was clamped to its start while the clock was behind it).
   */
  rebaseRun(placeId: number, runFirstId: number, deltaMs: number): void {
    this.statements.shiftEndsAfterId.run({ placeId, id: runFirstId, delta: deltaMs });
    this.statements.shiftStartsAfterId.run({ placeId, id: runFirstId, delta: deltaMs });
    const openAtStart = this.statements.lastUpTo.get({ placeId, id: runFirstId });
    const first = this.statements.firstAfterId.get({ placeId, id: runFirstId });
    if (openAtStart && openAtStart.ended_at !== null && first) {
      this.statements.setEnd.run({ id: openAtStart.id, at: Math.max(first.started_at, openAtStart.started_at) });
    }
  }

  /**
   * Whether moving the record from `since` back by -`deltaMs` would make it overlap what stays;
   * `before` is the interval begun last before `since`.
   */
  private wouldOverlap(placeId: number, before: PowerEventRow | undefined, since: number, deltaMs: number): boolean {
    if (!before || before.ended_at === null) return false;
    // It spans `since`: its end moves, its start stays.
    if (before.ended_at >= since) return before.ended_at + deltaMs <= before.started_at;
    const first = this.statements.firstFrom.get({ placeId, from: since });
    return first !== undefined && first.started_at + deltaMs < before.ended_at;
  }

  /** How many intervals the location has recorded. */
  count(placeId: number): number {
    return Number(this.statements.count.get({ placeId })?.count ?? 0);
  }
}
