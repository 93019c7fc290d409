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
