/**
 * Fails when a module imports from a floor above its own (part of `npm test`).
 *
 * The house is built in floors: each folder of src/ stands on the ones below it and knows nothing
 * of the ones above, so a floor can be read, tested and changed with only what is under it in mind.
 * An import that runs back up (even `import type`) ties a lower part to a higher one, and the next
 * change above breaks the floor below. Imports are resolved as tsc resolves them, type-only and
 * dynamic ones included, with the same reading as scripts/check-import-cycles.ts.
 *
 * The floors are FLOORS below, bottom first; folders on one floor may import each other (the cycle
 * check keeps them from going round in circles). The few upward imports still tolerated (six at
 * most) are named in ALLOWED, each with why; any other fails the check, and so does an allowance
 * no longer used (delete it, so the import cannot quietly come back). Every file of src/ must
 * stand on a floor.
 *
 * Usage: node --import tsx scripts/check-layers.ts [folder=src]
 */
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type ts from 'typescript';
import { importGraph, projectOptions } from './check-import-cycles.js';

export interface Floor {
  /** Folders (`db/`) and top-level files (`clock.ts`) of src/ standing on this floor. */
  holds: string[];
  /** What the floor is for, and so why it stands where it does. */
  why: string;
}

/** The floors of src/, bottom first (issue 24's map, also in docs and the helpers' notes). */
export const FLOORS: Floor[] = [
  {
    holds: ['clock.ts', 'clock-steps.ts', 'logger.ts', 'metrics.ts', 'non-empty.ts', 'worker-entry.ts', 'i18n/'],
    why: 'ground tools every part uses: time, logs, counters, lists known not to be empty, worker threads\' entry, texts, durations and escaping',
  },
  { holds: ['db/'], why: 'the connection, schema and faults of the database every owner writes through' },
  { holds: ['telegram/'], why: 'the wire: transport, rate limiter, errors, chat migration; it knows no message kind' },
  { holds: ['history/', 'devices/', 'admins/', 'sessions/'], why: 'owners of tables that need only the database' },
  { holds: ['places/'], why: 'the places and their rules; what they need of the monitor is handed in' },
  { holds: ['outbox/'], why: 'the queue of messages and their payload types, which the senders above fill' },
  { holds: ['monitor/'], why: 'the power state machine over places, history and the outbox' },
  { holds: ['people/'], why: 'subscribers, roles, snoozes and quiet hours: who hears of the monitor' },
  { holds: ['schedules/'], why: 'planned outages: sources, plans and their notices' },
  { holds: ['config.ts'], why: 'the environment, validated once; it parses the schedule sources' },
  { holds: ['diagram/'], why: 'the weekly picture of power and plans' },
  { holds: ['reports/'], why: 'monthly and weekly summaries, drawn with the diagram\'s tools' },
  { holds: ['alerts/'], why: 'the deliverers of alerts and notices to channels and private chats' },
  { holds: ['jobs/', 'ops/'], why: 'work run beside the service (workers, sweeps, backups, retention) over all of the above' },
  { holds: ['bot/', 'http/', 'cli/'], why: 'the doors: chats, HTTP and the command line, each calling the parts below' },
  { holds: ['app/', 'app.ts'], why: 'the composition root: builds every part once and assembles the deliverers' },
  { holds: ['main.ts', 'container-start.ts'], why: 'the entry points that start the app' },
];

export interface AllowedImport {
  /** Importing file, relative to src/. */
  from: string;
  /** Imported file, relative to src/. */
  to: string;
  why: string;
}

/** Upward imports still tolerated, each by name; none is better. */
export const ALLOWED: AllowedImport[] = [];

/** The most ALLOWED may ever hold (issue 24's goal): past it, the floors are a wish, not a plan. */
const MOST_ALLOWED = 6;

export interface UpwardImport {
  from: string;
  to: string;
  /** Floor numbers, 1 = ground. */
  fromFloor: number;
  toFloor: number;
}

export interface LayerReport {
  /** Every import from a lower floor to a higher one, file → file, sorted. */
  upward: UpwardImport[];
  /** Files that stand on no floor (a new folder not yet placed in FLOORS). */
  unplaced: string[];
}

/** The imports under `root` that run from a lower floor up to a higher one. */
export function findUpwardImports(
  root: string,
  floors: Floor[] = FLOORS,
  compilerOptions: ts.CompilerOptions = projectOptions(root),
): LayerReport {
  const folder = resolve(root);
  const floorOf = floorIndex(floors);
  const upward: UpwardImport[] = [];
  const unplaced: string[] = [];
  for (const [file, targets] of importGraph(folder, compilerOptions)) {
    const from = relative(folder, file);
    const fromFloor = floorOf(from);
    if (fromFloor === undefined) {
      unplaced.push(from);
      continue;
    }
    for (const target of targets) {
      const to = relative(folder, target);
      const toFloor = floorOf(to);
      if (toFloor !== undefined && toFloor > fromFloor) upward.push({ from, to, fromFloor, toFloor });
    }
  }
  return { upward, unplaced };
}

/** Which upward imports the allowance does not cover, and which allowances nothing uses any more. */
export function judge(upward: UpwardImport[], allowed: AllowedImport[] = ALLOWED): { forbidden: UpwardImport[]; unused: AllowedImport[] } {
  const key = (edge: { from: string; to: string }): string => `${edge.from} → ${edge.to}`;
  const allowedKeys = new Set(allowed.map(key));
  const foundKeys = new Set(upward.map(key));
  return {
    forbidden: upward.filter((edge) => !allowedKeys.has(key(edge))),
    unused: allowed.filter((allowance) => !foundKeys.has(key(allowance))),
  };
}

/** A file's floor number (1 = ground): by its top-level folder, or by its own name at the top. */
function floorIndex(floors: Floor[]): (file: string) => number | undefined {
  const byPlace = new Map<string, number>();
  floors.forEach((floor, index) => {
    for (const place of floor.holds) {
      if (byPlace.has(place)) throw new Error(`${place} stands on two floors; give it one.`);
      byPlace.set(place, index + 1);
    }
  });
  return (file) => {
    const parts = file.split(/[\\/]/);
    return byPlace.get(parts.length > 1 ? `${parts[0]}/` : parts[0]!);
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = process.argv[2] ?? 'src';
  const { upward, unplaced } = findUpwardImports(root);
  const { forbidden, unused } = judge(upward);
  const floorName = (floor: number): string => FLOORS[floor - 1]!.holds.join(' ');
  if (upward.length === 0) console.log(`No import in ${root}/ runs from a lower floor up.`);
  else console.log(`${upward.length} import(s) in ${root}/ run from a lower floor up (${ALLOWED.length} allowed):`);
  for (const edge of upward) {
    const mark = forbidden.includes(edge) ? '✗' : ' ';
    console.log(`${mark} ${edge.from} → ${edge.to}   (${floorName(edge.fromFloor)} → ${floorName(edge.toFloor)})`);
  }
  if (forbidden.length > 0) {
    console.error(`${forbidden.length} upward import(s) not allowed: move the shared part down, or hand the higher part in as a function.`);
  }
  for (const allowance of unused) console.error(`Allowed but no longer imported, delete it from ALLOWED: ${allowance.from} → ${allowance.to}`);
  for (const file of unplaced) console.error(`${file} stands on no floor: add its folder to FLOORS in scripts/check-layers.ts.`);
  const overAllowed = ALLOWED.length > MOST_ALLOWED;
  if (overAllowed) console.error(`ALLOWED names ${ALLOWED.length} upward imports; at most ${MOST_ALLOWED} may be tolerated.`);
  if (forbidden.length > 0 || unused.length > 0 || unplaced.length > 0 || overAllowed) process.exitCode = 1;
}
