import type SqliteDatabase from 'better-sqlite3';
import { newDeviceKey } from '../../src/locations/location-rules.js';

/** Inserts `count` places in one transaction and returns their keys (ids are 1..count in a new file). */
export function seedLocations(sqlite: SqliteDatabase.Database, count: number, now: number, timeoutS = 60): string[] {
  const insert = sqlite.prepare(
    `INSERT INTO locations (name, api_key, timeout_s, language, status, created_at, paused, alerting_failed)
     VALUES (?, ?, ?, 'uk', 'unknown', ?, 0, 0)`,
  );
  const keys: string[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const key = newDeviceKey();
      keys.push(key);
      insert.run(`Place ${i + 1}`, key, timeoutS, now);
    }
  })();
  return keys;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * Places as a running service leaves them: on since a while, heartbeating, an open interval each.
 * A start then has the real restart recovery to do. Returns the keys (ids are 1..count).
 */
export function seedWatchedLocations(sqlite: SqliteDatabase.Database, count: number, now: number, timeoutS = 60): string[] {
  const insertPlace = sqlite.prepare(
    `INSERT INTO locations (name, api_key, timeout_s, language, status, status_since, last_heartbeat_at, deadline_at, created_at, paused, alerting_failed)
     VALUES (?, ?, ?, 'uk', 'on', ?, ?, ?, ?, 0, 0)`,
  );
  const insertInterval = sqlite.prepare(`INSERT INTO power_events (location_id, status, started_at, ended_at, start_edge) VALUES (?, 'on', ?, NULL, 'first_heartbeat')`);
  const keys: string[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const key = newDeviceKey();
      keys.push(key);
      const since = now - 3_600_000;
      const { lastInsertRowid } = insertPlace.run(`Place ${i + 1}`, key, timeoutS, since, now - 5_000, now - 5_000 + timeoutS * 1000, since);
      insertInterval.run(lastInsertRowid, since);
    }
  })();
  sqlite.prepare("INSERT OR REPLACE INTO service_state (key, value) VALUES ('last_alive_at', ?)").run(String(now - 5_000));
  return keys;
}
