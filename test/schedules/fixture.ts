import { readFileSync } from 'node:fs';
import { repositoryPath } from '../support/repository.js';

/** A schedule fixture from test/schedules/fixtures/ as text. */
export function fixture(name: string): string {
  return readFileSync(repositoryPath('test', 'schedules', 'fixtures', name), 'utf8');
}

export const ZONE = 'Europe/Kyiv';
export const MIN = 60_000;
export const HOUR = 60 * MIN;

/** UTC ms, month 1-based. */
export function utc(y: number, m: number, d: number, h = 0, min = 0): number {
  return Date.UTC(y, m - 1, d, h, min);
}
