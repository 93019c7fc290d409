import type SqliteDatabase from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { EdgeKind, IntervalStatus, PowerEventsTable } from '../db/schema.js';
import { prepareStatements, statementPlan } from '../db/prepared-statement.js';
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
  overlapping: statementPlan((p: { locationId: number; from: number; to: number }) =>
    queryBuilder
      .selectFrom('power_events')
      .select(['status', 'started_at', 'ended_at', 'start_edge'])
      .where('location_id', '=', p.locationId)
      .where('started_at', '<', p.to)
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', p.from)]))
      .orderBy('started_at')
      .orderBy('id'),
  ),
};
export type PowerEventRenderPlans = typeof renderPlans;

const plans = {
  open: statementPlan((p: { locationId: number }) =>
    queryBuilder.selectFrom('power_events').select(['status', 'started_at', 'start_edge']).where('location_id', '=', p.locationId).where('ended_at', 'is', null),
  ),
  closeOpen: statementPlan((p: { locationId: number; at: number }) =>
    queryBuilder
      .updateTable('power_events')
      .set((eb) => ({ ended_at: eb.fn<number>('max', [eb.val(p.at), eb.ref('started_at')]) }))
      .where('location_id', '=', p.locationId)
      .where('ended_at', 'is', null),
  ),
  append: statementPlan((p: { locationId: number; status: IntervalStatus; startedAt: number; endedAt: number | null; edge: EdgeKind }) =>
    queryBuilder
      .insertInto('power_events')
      .values({ location_id: p.locationId, status: p.status, started_at: p.startedAt, ended_at: p.endedAt, start_edge: p.edge }),
  ),
  recent: statementPlan((p: { locationId: number; limit: number }) =>
    queryBuilder
      .selectFrom('power_events')
      .select(COLUMNS)
      .where('location_id', '=', p.locationId)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(p.limit),
  ),
  all: statementPlan((p: { locationId: number }) =>
    queryBuilder.selectFrom('power_events').select(COLUMNS).where('location_id', '=', p.locationId).orderBy('started_at').orderBy('id'),
  ),
  underWayAt: statementPlan((p: { locationId: number; at: number }) =>
    queryBuilder
      .selectFrom('power_events')
      .select(COLUMNS)
      .where('location_id', '=', p.locationId)
      .where('started_at', '<=', p.at)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1),
  ),
  begunBetween: statementPlan((p: { locationId: number; after: number; before: number }) =>
    queryBuilder
      .selectFrom('power_events')
      .select(COLUMNS)
      .where('location_id', '=', p.locationId)
      .where('started_at', '>', p.after)
      .where('started_at', '<', p.before)
      .orderBy('started_at')
      .orderBy('id'),
  ),
  count: statementPlan((p: { locationId: number }) =>
    queryBuilder.selectFrom('power_events').select((eb) => eb.fn.countAll<number>().as('count')).where('location_id', '=', p.locationId),
  ),
};

/**
 * The one owner of `power_events`, the power history: the monitor opens and closes intervals
 * (inside its decision's transaction), and the bot, the CSV export, the schedule history and the
 * render worker read them. Synchronous on the main thread's connection.
 */
export class PowerEventStore {
  private readonly statements;

  constructor(sqlite: SqliteDatabase.Database) {
    this.statements = prepareStatements(sqlite, plans);
  }

  /** The location's open interval, if any (hot path). */
  openOf(locationId: number): OpenPowerEvent | undefined {
    return this.statements.open.get({ locationId });
  }

  /** Ends the open interval at `at` (never before it started). */
  closeOpen(locationId: number, at: number): void {
    this.statements.closeOpen.run({ locationId, at });
  }

  append(locationId: number, event: NewPowerEvent): void {
    this.statements.append.run({ locationId, ...event });
  }

  /** The location's last `limit` intervals, newest first. */
  recent(locationId: number, limit: number): PowerEventRow[] {
    return this.statements.recent.all({ locationId, limit });
  }

  /** The location's whole history, oldest first (what the CSV export holds). */
  all(locationId: number): PowerEventRow[] {
    return this.statements.all.all({ locationId });
  }

  /**
   * The intervals that overlap [from, to), oldest first (one still open counts as lasting). Two
   * index range reads: the interval under way at `from`, then those begun since.
   */
  between(locationId: number, from: number, to: number): PowerEventRow[] {
    const atStart = this.statements.underWayAt.get({ locationId, at: from });
    const since = this.statements.begunBetween.all({ locationId, after: from, before: to });
    const overlapsFrom = atStart && (atStart.ended_at === null || atStart.ended_at > from);
    return overlapsFrom ? [atStart, ...since] : since;
  }

  /** How many intervals the location has recorded. */
  count(locationId: number): number {
    return Number(this.statements.count.get({ locationId })?.count ?? 0);
  }
}
