import type { SyncDatabase } from '../db/sync-database.js';
import { prepareStatements } from '../db/prepared-statement.js';
import { statementPlan } from '../db/statement-plan.js';
import { queryBuilder, transaction } from '../db/sync-query.js';
import type { PlaceStore } from '../places/place-store.js';
import type { Alert } from '../outbox/payload-parts.js';

/**
 * The one owner of `place_snoozes` and `snoozed_alerts`: "🔕 don't notify for 1/3/12 h" on a
 * place, for planned electrical work. Unlike pause, the place is still watched: its changes are
 * recorded and drawn as usual; only its alert posts (channel, group and subscribers alike) are
 * held here, and when the snooze ends one post says what happened meanwhile (snooze-summary.ts),
 * or nothing if nothing did.
 *
 * Integration:
 * - admin: `snooze(placeId, snoozeUntil(now, hours), { now, by })`; "resume now": `end(placeId)`
 *   and post the summary of what it returns; the place card shows `active(placeId, now)`;
 * - outbox owner, in the transaction that writes a place's alert: `hold(placeId, alert, now)`.
 *   `{ held: true }`: write nothing. `{ held: false, ended }`: if `ended` is set, the snooze has
 *   just run out: write its summary first, then this alert, so the order of events is kept;
 * - a periodic check (the sweep's loop will do): for each id of `due(now)`, `end(id)` and write
 *   the summary, so a quiet place gets it on time too.
 */

export interface Snooze {
  placeId: number;
  since: number;
  until: number;
  setBy: number | null;
}

/** A snooze that has ended, with the alerts it held, oldest first. */
export interface EndedSnooze extends Snooze {
  alerts: Alert[];
  /** Held rows that could not be read back (should never happen); worth a log line. */
  unreadable: number;
}

export type HoldResult = { held: true } | { held: false; ended: EndedSnooze | null };

export type SnoozeResult = 'snoozed' | 'extended' | 'place_missing';

const plans = {
  upsert: statementPlan((p: { placeId: number; now: number; until: number; by: number | null }) =>
    queryBuilder
      .insertInto('place_snoozes')
      .values({ location_id: p.placeId, since: p.now, until: p.until, set_by: p.by })
      // An update, never a replace: replacing the row would cascade to the alerts it holds.
      .onConflict((oc) => oc.column('location_id').doUpdateSet({ until: p.until, set_by: p.by })),
  ),
  ofPlace: statementPlan((p: { placeId: number }) => queryBuilder.selectFrom('place_snoozes').selectAll().where('location_id', '=', p.placeId)),
  due: statementPlan((p: { now: number }) =>
    queryBuilder.selectFrom('place_snoozes').select('location_id').where('until', '<=', p.now).orderBy('until').orderBy('location_id'),
  ),
  hold: statementPlan((p: { placeId: number; alert: string; now: number }) =>
    queryBuilder.insertInto('snoozed_alerts').values({ location_id: p.placeId, alert: p.alert, held_at: p.now }),
  ),
  held: statementPlan((p: { placeId: number }) => queryBuilder.selectFrom('snoozed_alerts').select('alert').where('location_id', '=', p.placeId).orderBy('id')),
  delete: statementPlan((p: { placeId: number }) => queryBuilder.deleteFrom('place_snoozes').where('location_id', '=', p.placeId)),
};

export class SnoozeStore {
  private readonly statements;

  constructor(
    private readonly sqlite: SyncDatabase,
    /** The places' owner: whether a place exists, and its name. */
    private readonly places: PlaceStore,
  ) {
    this.statements = prepareStatements(sqlite, plans);
  }

  /**
   * Holds the place's posts until `until`. Snoozing a snoozed place moves its end and keeps what
   * it already held: the summary will cover the whole time.
   */
  snooze(placeId: number, until: number, options: { now: number; by: number | null }): SnoozeResult {
    if (!Number.isInteger(until) || until <= options.now) {
      throw new RangeError('A snooze ends in the future: pass the time it ends, e.g. snoozeUntil(now, 3).');
    }
    return transaction(this.sqlite, () => {
      if (!this.places.exists(placeId)) return 'place_missing';
      const existing = this.get(placeId);
      this.statements.upsert.run({ placeId, now: options.now, until, by: options.by });
      return existing ? 'extended' : 'snoozed';
    });
  }

  /** The place's snooze row, ended or not (one that ran out stays until `end` or `hold`). */
  get(placeId: number): Snooze | undefined {
    const row = this.statements.ofPlace.get({ placeId });
    return row && { placeId: row.location_id, since: row.since, until: row.until, setBy: row.set_by };
  }

  /** The place's snooze while it holds posts. */
  active(placeId: number, now: number): Snooze | undefined {
    const snooze = this.get(placeId);
    return snooze && snooze.until > now ? snooze : undefined;
  }

  /** Places whose snooze has run out and still waits for its summary. */
  due(now: number): number[] {
    return this.statements.due.all({ now }).map((row) => row.location_id);
  }

  /** Keeps the alert if the place is snoozed; otherwise ends a snooze that has run out. */
  hold(placeId: number, alert: Alert, now: number): HoldResult {
    return transaction(this.sqlite, () => {
      const snooze = this.get(placeId);
      if (!snooze) return { held: false, ended: null };
      if (snooze.until <= now) return { held: false, ended: this.end(placeId) ?? null };
      this.statements.hold.run({ placeId, alert: JSON.stringify(alert), now });
      return { held: true };
    });
  }

  /** Ends the place's snooze now (ran out, or an admin resumed): what it held. Undefined: none. */
  end(placeId: number): EndedSnooze | undefined {
    return transaction(this.sqlite, () => {
      const snooze = this.get(placeId);
      if (!snooze) return undefined;
      const rows = this.statements.held.all({ placeId });
      const alerts = rows.map((row) => readAlert(row.alert)).filter((alert): alert is Alert => alert !== null);
      this.statements.delete.run({ placeId });
      return { ...snooze, alerts, unreadable: rows.length - alerts.length };
    });
  }
}

/** An alert stored as JSON, checked field by field; null if it is not one. */
export function readAlert(text: string): Alert | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const isTime = (field: unknown): field is number => typeof field === 'number' && Number.isFinite(field);
  switch (record.kind) {
    case 'power_off': {
      if (!isTime(record.at) || !(record.previousMs === null || isTime(record.previousMs))) return null;
      const alert: Alert = { kind: 'power_off', at: record.at, previousMs: record.previousMs };
      if (record.notBefore !== undefined) {
        if (!isTime(record.notBefore)) return null;
        alert.notBefore = record.notBefore;
      }
      return alert;
    }
    case 'power_on':
      if (!isTime(record.at) || !isTime(record.offSince) || !isTime(record.offMs) || typeof record.fromUptime !== 'boolean') return null;
      return { kind: 'power_on', at: record.at, fromUptime: record.fromUptime, offSince: record.offSince, offMs: record.offMs };
    case 'short_outage':
      if (!isTime(record.from) || !isTime(record.to)) return null;
      return { kind: 'short_outage', from: record.from, to: record.to };
    default:
      return null;
  }
}
