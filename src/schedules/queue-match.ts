import type { PlanInterval } from '../outbox/payload-parts.js';

/**
 * "Which queue am I?" answered from the place's own record: its real outages set against every
 * queue a source published for the same days. Pure: the caller gathers the days and the power.
 *
 * The measure, per queue, over the local days that are over, that the source published a plan for
 * (emergency, waiting and missing days are skipped, never read as "no outages") and that the place
 * was watched for at least half of:
 * - error = real OFF time no planned/possible interval explains (each widened by TOLERANCE_MS at
 *   both ends: suppliers start and end a few minutes off, heartbeats notice a minute late)
 *   + planned time (each interval narrowed by TOLERANCE_MS) during which the place was watched
 *   with power. Possible intervals explain an outage but are never counted against the place;
 * - scale = real OFF time + watched planned time;
 * - a planned outage that did not come at all (skips happen) weighs at most SKIP_COST_MS, in the
 *   error and in the scale alike;
 * - score = 1 − error / scale (1 is a perfect fit, 0 nothing in common).
 * The evidence shown to people is per outage: an outage "matches" a queue when at least half of it
 * falls inside the queue's widened intervals ("збіг 11 з 12 відключень за 5 днів").
 *
 * A verdict is confident only when the best queue fits well (score ≥ FIT_SCORE), beats the runner
 * up by SCORE_MARGIN and by MARGIN_MIN_MS of error, and the record has outages on MIN_DAYS days.
 * Queues with identical plans on every compared day cannot be told apart: that is "not sure",
 * never a guess. When even the best queue fits poorly (score < NONE_SCORE), no queue fits.
 */
export const TOLERANCE_MS = 20 * 60_000;
/** Outages shorter than this are blips (a breaker, a reboot), not the supplier's cuts. */
export const MIN_OUTAGE_MS = 10 * 60_000;
export const MIN_DAYS = 3;
export const FIT_SCORE = 0.8;
export const NONE_SCORE = 0.5;
export const SCORE_MARGIN = 0.02;
export const MARGIN_MIN_MS = 60 * 60_000;
/** What a planned outage that did not happen at all costs a queue (its full length would let one skip outweigh a day of fit). */
export const SKIP_COST_MS = 60 * 60_000;
/** How much better another queue must fit than the one followed before the admin hears of it. */
export const RESHUFFLE_GAP = 0.15;
/** A day counts when the place was watched (power known on or off) for at least this share of it. */
const MIN_WATCHED_SHARE = 0.5;

/** One local day the source published a plan for: each queue's intervals that day. */
export interface MatchDay {
  day: string;
  start: number;
  end: number;
  queues: Record<string, readonly PlanInterval[]>;
}

/** A stretch of the place's power history (`end` null while it lasts). */
export interface PowerStretch {
  status: 'on' | 'off' | 'unknown';
  start: number;
  end: number | null;
}

export interface QueueFit {
  queue: string;
  score: number;
  /** Minutes of disagreement (unexplained outage + planned time with power). */
  errorMin: number;
  /** Outages at least half inside the queue's intervals, of `outages`. */
  matched: number;
  outages: number;
  /** Days compared. */
  days: number;
}

export type MatchVerdict =
  /** Not enough record yet: outages on fewer than MIN_DAYS compared days. */
  | { kind: 'too-early'; daysWithOutages: number; ranking: QueueFit[] }
  | { kind: 'match'; best: QueueFit; runnerUp: QueueFit | null; ranking: QueueFit[] }
  /** Several queues fit about as well: nothing is said. */
  | { kind: 'not-sure'; ranking: QueueFit[] }
  | { kind: 'none-fits'; best: QueueFit | null; ranking: QueueFit[] };

type Span = { start: number; end: number };

export function matchQueues(days: readonly MatchDay[], power: readonly PowerStretch[], now: number): MatchVerdict {
  const used = days.filter((d) => d.end <= now).sort((a, b) => a.start - b.start);
  // Only queues published on every compared day are compared (a queue added later is left out).
  const watchedDays: { day: MatchDay; watched: Span[]; off: Span[] }[] = [];
  for (const day of used) {
    const clip = (s: Span) => ({ start: Math.max(s.start, day.start), end: Math.min(s.end, day.end) });
    const spans = power.map((p) => ({ status: p.status, start: p.start, end: p.end ?? now })).filter((p) => p.end > day.start && p.start < day.end);
    const watched = union(spans.filter((p) => p.status !== 'unknown').map(clip));
    if (length(watched) < MIN_WATCHED_SHARE * (day.end - day.start)) continue;
    const off = union(spans.filter((p) => p.status === 'off').map(clip));
    watchedDays.push({ day, watched, off: off.filter((o) => o.end - o.start >= MIN_OUTAGE_MS) });
  }
  const queueIds = commonQueues(watchedDays.map((w) => w.day));
  const ranking: QueueFit[] = queueIds.map((queue) => {
    let error = 0;
    let scale = 0;
    let matched = 0;
    let outages = 0;
    for (const { day, watched, off } of watchedDays) {
      const plan = day.queues[queue];
      if (!plan) continue; // never: commonQueues keeps the queues every watched day has
      const explains = union(plan.map((i) => ({ start: i.start - TOLERANCE_MS, end: i.end + TOLERANCE_MS })));
      const planned = union(plan.filter((i) => i.kind === 'planned').map((i) => ({ start: i.start, end: i.end })));
      error += length(subtract(off, explains));
      // Planned time with power: in full where the outage came but short; where the planned outage
      // did not come at all (a skip happens), it weighs at most SKIP_COST_MS in the error and in the
      // scale alike, so one skip does not outweigh a day of fit and a queue whose every outage was
      // skipped still scores nothing.
      scale += length(off);
      for (const interval of planned) {
        const watchedPart = length(intersect([interval], watched));
        const inner = { start: interval.start + TOLERANCE_MS, end: interval.end - TOLERANCE_MS };
        const missed = inner.end > inner.start ? length(subtract(intersect([inner], watched), off)) : 0;
        const skipped = !off.some((o) => o.start < interval.end && o.end > interval.start);
        error += skipped ? Math.min(missed, SKIP_COST_MS) : missed;
        scale += skipped ? Math.min(watchedPart, SKIP_COST_MS) : watchedPart;
      }
      for (const outage of off) {
        outages += 1;
        if (length(intersect([outage], explains)) * 2 >= outage.end - outage.start) matched += 1;
      }
    }
    const score = scale === 0 ? 0 : Math.max(0, 1 - error / scale);
    return { queue, score, errorMin: Math.round(error / 60_000), matched, outages, days: watchedDays.length };
  });
  ranking.sort((a, b) => b.score - a.score || a.errorMin - b.errorMin || a.queue.localeCompare(b.queue, 'en', { numeric: true }));
  const daysWithOutages = watchedDays.filter((w) => w.off.length > 0).length;
  if (daysWithOutages < MIN_DAYS || ranking.length === 0) return { kind: 'too-early', daysWithOutages, ranking };
  const [best, runnerUp] = ranking as [QueueFit, QueueFit | undefined];
  if (best.score < NONE_SCORE) return { kind: 'none-fits', best, ranking };
  if (best.score < FIT_SCORE) return { kind: 'not-sure', ranking };
  if (runnerUp && (best.score - runnerUp.score < SCORE_MARGIN || runnerUp.errorMin - best.errorMin < MARGIN_MIN_MS / 60_000)) return { kind: 'not-sure', ranking };
  return { kind: 'match', best, runnerUp: runnerUp ?? null, ranking };
}

/**
 * For a place that follows `current`: the queue that fits the record much better, when the record
 * keeps disagreeing with the one it follows (queues get reshuffled). Null when the current queue
 * fits, when nothing fits clearly, or when the current queue is not among those compared.
 */
export function betterQueue(verdict: MatchVerdict, current: string): { current: QueueFit; better: QueueFit } | null {
  if (verdict.kind !== 'match' || verdict.best.queue === current) return null;
  const mine = verdict.ranking.find((fit) => fit.queue === current);
  if (!mine || mine.score >= FIT_SCORE) return null;
  if (verdict.best.score - mine.score < RESHUFFLE_GAP) return null;
  return { current: mine, better: verdict.best };
}

function commonQueues(days: readonly MatchDay[]): string[] {
  const [first] = days;
  if (!first) return [];
  return Object.keys(first.queues).filter((queue) => days.every((d) => Object.hasOwn(d.queues, queue)));
}

// --- interval arithmetic on sorted, merged spans ---

function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const x of a) {
    for (const y of b) {
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (end > start) out.push({ start, end });
    }
  }
  return union(out);
}

function subtract(a: readonly Span[], b: readonly Span[]): Span[] {
  let pieces = a.map((s) => ({ ...s }));
  for (const c of b) {
    pieces = pieces.flatMap((p) => {
      if (c.end <= p.start || c.start >= p.end) return [p];
      return [
        { start: p.start, end: Math.min(p.end, c.start) },
        { start: Math.max(p.start, c.end), end: p.end },
      ].filter((x) => x.end > x.start);
    });
  }
  return pieces;
}

function length(spans: readonly Span[]): number {
  return spans.reduce((sum, s) => sum + (s.end - s.start), 0);
}
