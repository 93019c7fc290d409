import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { loadConfig, loadDotEnvFile, type Config } from '../config.js';
import { isDay, isoDay, localDay } from '../schedules/local-time.js';
import { parseSchedule } from '../schedules/parse-schedule.js';
import { dayLines, intervalText } from '../schedules/plan-text.js';
import { templateDay } from '../schedules/week-template.js';
import { parseYasnoProbable, yasnoProbableUrl } from '../schedules/yasno-probable.js';
import { findQueue, ScheduleFormatError, type ScheduleSnapshot } from '../schedules/snapshot.js';
import type { QueueInfo } from '../outbox/payload-parts.js';
import { fetchSource } from '../schedules/source-fetch.js';
import type { ScheduleSource } from '../schedules/sources.js';
import { MAX_DATA_AGE_MS } from '../schedules/queue-plan.js';

/**
 * Outage schedules from a shell: what sources there are, what queues one publishes, and one day's
 * planned outages of a queue, read live from the source (no database needed). Diagnostics go to
 * stderr, so stdout of `show` is exactly one "HH:MM–HH:MM" line per outage.
 */
const USAGE = `Usage: npm run schedule -- <command> [arguments]

  sources                                      the known schedule sources (built in, and SCHEDULE_SOURCES)
  queues <source>                              the queues a source publishes (read live)
  show <source> <queue> [--date YYYY-MM-DD]    that day's outages in local time, one HH:MM–HH:MM per line
                                               (possible ones marked); the date defaults to today
  show <source> <queue> --week [--date …]      seven days from the date, one line a day: the published plan,
                                               or the weekly schedule's probable outages labelled "probable"

Exit status of show: 0 the plan was printed (no lines: no outages planned that day),
2 the source has no usable plan for that day (the reason is on stderr), 1 an error.`;

/** Where the command writes, and what it reads: the process's own when run from the shell, a test's otherwise. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  now: () => number;
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function runScheduleCli(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { date: { type: 'string' }, week: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  const [command, ...rest] = positionals;
  if (!command || values.help) {
    io.out(USAGE);
    return command ? 0 : 1;
  }
  const config = loadConfig(io.env);
  switch (command) {
    case 'sources':
      for (const source of config.scheduleSources) {
        const region = source.region ? `${source.region.uk} / ${source.region.en}` : '(from SCHEDULE_SOURCES)';
        io.out(`${source.id.padEnd(16)} ${source.format.padEnd(6)} ${region}\n${' '.repeat(24)}${source.url}`);
      }
      return 0;
    case 'queues': {
      const read = await readSource(config, rest[0], io);
      if (!read) return 1;
      for (const queue of read.snapshot.queues) io.out(queue.label ? `${queue.id}\t${queue.label}` : queue.id);
      return 0;
    }
    case 'show':
      return values.week ? showWeek(config, rest[0], rest[1], values.date, io) : show(config, rest[0], rest[1], values.date, io);
    default:
      io.err(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

async function show(config: Config, sourceId: string | undefined, queueInput: string | undefined, date: string | undefined, io: CliIo): Promise<number> {
  const asked = await readQueue(config, sourceId, queueInput, date, '', io);
  if (!asked) return 1;
  const { source, snapshot, queue, day } = asked;
  const asOf = snapshot.asOf === null ? 'unknown' : DateTime.fromMillis(snapshot.asOf, { zone: config.timeZone }).toFormat('yyyy-MM-dd HH:mm');
  io.err(`${source.id} · ${queue.id}${queue.label ? ` (${queue.label})` : ''} · ${day} · as of ${asOf} (${config.timeZone})`);
  if (snapshot.asOf !== null && io.now() - snapshot.asOf > MAX_DATA_AGE_MS) {
    io.err('Warning: the source has not been updated for more than two days; the service would not use this plan.');
  }
  for (const problem of snapshot.problems) io.err(`Refused: ${problem}`);
  const entry = snapshot.days[queue.id]?.find((d) => d.day === day);
  if (!entry) {
    const known = (snapshot.days[queue.id] ?? []).map((d) => d.day).join(', ') || 'none';
    io.err(`The source has no schedule for ${day} (days it has: ${known}).`);
    return 2;
  }
  switch (entry.status) {
    case 'plan':
      for (const line of dayLines(entry.intervals, config.timeZone, '(possible)')) io.out(line);
      if (entry.intervals.length === 0) io.err('No outages planned that day.');
      return 0;
    case 'waiting':
      io.err(`The supplier has not published the schedule for ${day} yet.`);
      return 2;
    case 'emergency':
      io.err(`Emergency outages on ${day}: the schedule does not apply.`);
      return 2;
    case 'unreadable':
      io.err(entry.problem);
      return 2;
  }
}

/**
 * Seven days from `date`: each day's published plan, or — for a day the source has not published —
 * the probable outages of its weekly schedule (GPV preset.data, Yasno probable outages), labelled
 * "probable". Days with neither say so. Exit 0 when something was printed, 2 when nothing is known.
 */
async function showWeek(config: Config, sourceId: string | undefined, queueInput: string | undefined, date: string | undefined, io: CliIo): Promise<number> {
  const asked = await readQueue(config, sourceId, queueInput, date, ' --week', io);
  if (!asked) return 1;
  const { source, snapshot, queue, day: first } = asked;
  let template = snapshot.probable && Object.hasOwn(snapshot.probable, queue.id) ? snapshot.probable[queue.id] : undefined;
  const probableTarget = source.format === 'yasno' ? yasnoProbableUrl(source.url) : null;
  if (!template && probableTarget) {
    const outcome = await fetchSource(probableTarget.url, null, { timeoutMs: 30_000 });
    if (outcome.kind === 'fresh') {
      try {
        const templates = parseYasnoProbable(outcome.body, probableTarget.region, probableTarget.dso);
        template = Object.hasOwn(templates, queue.id) ? templates[queue.id] : undefined;
      } catch (error) {
        if (!(error instanceof ScheduleFormatError)) throw error;
        io.err(`The weekly schedule of ${source.id} is unreadable: ${error.message}.`);
      }
    } else io.err(`Could not read the weekly schedule of ${source.id}: ${outcome.kind === 'failed' ? outcome.error : 'unexpected answer'}.`);
  }
  io.err(`${source.id} · ${queue.id}${queue.label ? ` (${queue.label})` : ''} · week from ${first} (${config.timeZone})${template ? '' : ' · no weekly schedule'}`);
  let printed = 0;
  for (let i = 0; i < 7; i += 1) {
    const day = DateTime.fromISO(first, { zone: config.timeZone }).plus({ days: i });
    const label = `${day.toISODate()} ${day.setLocale('en').toFormat('ccc')}`;
    const entry = snapshot.days[queue.id]?.find((d) => d.day === day.toISODate());
    if (entry?.status === 'plan') {
      io.out(`${label}  published  ${dayLines(entry.intervals, config.timeZone, '(possible)').join(', ') || 'no outages'}`);
      printed += 1;
    } else if (entry?.status === 'emergency') {
      io.out(`${label}  emergency  the schedule does not apply`);
      printed += 1;
    } else if (template) {
      const probable = templateDay(template, isoDay(day), config.timeZone);
      io.out(`${label}  probable   ${probable.intervals.map((i) => intervalText(i, config.timeZone)).join(', ') || 'no outages'}`);
      printed += 1;
    } else {
      io.out(`${label}  unknown`);
    }
  }
  return printed > 0 ? 0 : 2;
}

/** What `show` asks for, checked: the day (today by default), the source read live, its queue; null when something is wrong (said). */
async function readQueue(
  config: Config,
  sourceId: string | undefined,
  queueInput: string | undefined,
  date: string | undefined,
  flags: string,
  io: CliIo,
): Promise<{ source: ScheduleSource; snapshot: ScheduleSnapshot; queue: QueueInfo; day: string } | null> {
  if (!queueInput) {
    io.err(`Give the source and the queue, e.g.: npm run schedule -- show kyiv 3.1${flags}`);
    return null;
  }
  const day = date ?? localDay(io.now(), config.timeZone);
  if (!isDay(day)) {
    io.err(`"${day}" is not a date; write it as YYYY-MM-DD, e.g. 2026-01-29.`);
    return null;
  }
  const read = await readSource(config, sourceId, io);
  if (!read) return null;
  const queue = findQueue(read.snapshot, queueInput);
  if (!queue) {
    io.err(`${read.source.id} has no queue "${queueInput}". Its queues: ${read.snapshot.queues.map((q) => q.id).join(', ') || '(none)'}.`);
    return null;
  }
  return { ...read, queue, day };
}

async function readSource(config: Config, sourceId: string | undefined, io: CliIo): Promise<{ source: ScheduleSource; snapshot: ScheduleSnapshot } | null> {
  const source = config.scheduleSources.find((s) => s.id === sourceId);
  if (!source) {
    io.err(`${sourceId ? `There is no schedule source "${sourceId}"` : 'Give a source id'}. Known: ${config.scheduleSources.map((s) => s.id).join(', ')}.`);
    return null;
  }
  const outcome = await fetchSource(source.url, null, { timeoutMs: 30_000 });
  if (outcome.kind !== 'fresh') {
    io.err(`Could not read ${source.id} (${source.url}): ${outcome.kind === 'failed' ? outcome.error : 'unexpected answer'}.`);
    return null;
  }
  try {
    return { source, snapshot: parseSchedule(source.format, outcome.body, config.timeZone) };
  } catch (error) {
    if (!(error instanceof ScheduleFormatError)) throw error;
    io.err(`${source.id} sent something that is not a ${source.format} schedule: ${error.message}.`);
    return null;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotEnvFile();
  const io: CliIo = { env: process.env, now: Date.now, out: (line) => console.log(line), err: (line) => console.error(line) };
  runScheduleCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
