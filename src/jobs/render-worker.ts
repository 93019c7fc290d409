import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { openReadOnly } from '../db/read-only.js';
import type { IntervalStatus } from '../db/schema.js';
import { buildChartOption } from '../diagram/chart-option.js';
import { diagramLabels } from '../diagram/labels.js';
import { renderDiagramPng } from '../diagram/render-png.js';
import { buildWeekTimeline } from '../diagram/timeline.js';

/**
 * The diagram renderer: ONE long-lived worker (an ECharts worker costs 0.2–0.5 s to start) that
 * takes render requests by message, reads each place's week with a read-only connection, draws
 * the PNG and posts the bytes back (transferred, not copied). The main thread never renders and
 * stays the only writer. Requests are taken one per turn, so a 'cancel' is seen between renders.
 */
interface RenderWorkerData {
  databasePath: string;
}

export interface RenderRequest {
  /** Matches the answer to the request. */
  id: number;
  locationId: number;
  /** The instant the diagram shows as "now" (the main thread's clock). */
  now: number;
  timeZone: string;
}

export type RenderWorkerRequest = { type: 'render'; requests: RenderRequest[] };

export type RenderWorkerAnswer =
  | { type: 'rendered'; id: number; png: ArrayBuffer; caption: string; renderMs: number }
  | { type: 'render-failed'; id: number; error: string };

/** Reads a little more than the 7 shown days, so an interval that began before them is included. */
const LOOK_BACK_MS = 9 * 86_400_000;

const { databasePath } = workerData as RenderWorkerData;
lowerThreadPriority();
const sqlite = openReadOnly(databasePath);
const placeQuery = sqlite.prepare<[number], { name: string; language: 'uk' | 'en'; created_at: number }>(
  'SELECT name, language, created_at FROM locations WHERE id = ?',
);
const intervalsQuery = sqlite.prepare<[number, number, number], { status: IntervalStatus; started_at: number; ended_at: number | null }>(
  `SELECT status, started_at, ended_at FROM power_events
   WHERE location_id = ? AND started_at < ? AND (ended_at IS NULL OR ended_at > ?)
   ORDER BY started_at, id`,
);

const queue: RenderRequest[] = [];
let draining = false;
let cancelled = false;

parentPort?.on('message', (message: unknown) => {
  if (message === 'cancel') {
    cancelled = true;
    queue.length = 0;
    if (!draining) exit();
    return;
  }
  if (isRenderRequest(message)) {
    queue.push(...message.requests);
    if (!draining) void drain();
  }
});

async function drain(): Promise<void> {
  draining = true;
  for (let request = queue.shift(); request && !cancelled; request = queue.shift()) {
    parentPort?.postMessage(...answer(request));
    // Let a 'cancel' or more requests in between renders.
    await nextTurn();
  }
  draining = false;
  if (cancelled) exit();
}

function answer(request: RenderRequest): [RenderWorkerAnswer, ArrayBuffer[]] {
  try {
    const started = performance.now();
    const place = placeQuery.get(request.locationId);
    if (!place) return [{ type: 'render-failed', id: request.id, error: `there is no place with id ${request.locationId}` }, []];
    const intervals = intervalsQuery.all(request.locationId, request.now, request.now - LOOK_BACK_MS).map((row) => ({
      status: row.status,
      startedAt: row.started_at,
      endedAt: row.ended_at,
    }));
    const week = buildWeekTimeline({ intervals, locationCreatedAt: place.created_at, now: request.now, timeZone: request.timeZone });
    const labels = diagramLabels(place.language, place.name, week);
    const png = renderDiagramPng(buildChartOption(week, labels));
    // A fresh ArrayBuffer of exactly the PNG: the canvas' buffer may be external or pooled,
    // which cannot be transferred.
    const bytes = new Uint8Array(png.byteLength);
    bytes.set(png);
    const caption = `${labels.title}\n${labels.totals}`;
    const renderMs = performance.now() - started;
    return [{ type: 'rendered', id: request.id, png: bytes.buffer, caption, renderMs }, [bytes.buffer]];
  } catch (error) {
    return [{ type: 'render-failed', id: request.id, error: error instanceof Error ? error.message : String(error) }, []];
  }
}

/**
 * Renders yield the CPU to heartbeats: on a small machine (one or two cores) the worker would
 * otherwise compete with the main thread as an equal. Linux schedules threads separately, so
 * this thread's own id (from /proc/thread-self) gets a lower priority. Best effort: elsewhere,
 * or if it is not allowed, it renders at normal priority.
 */
function lowerThreadPriority(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, 10);
  } catch {
    // Not Linux, or not permitted.
  }
}

function isRenderRequest(message: unknown): message is RenderWorkerRequest {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'render';
}

// Exit on our own with code 0 (a terminate() from Bree would count as a failure, code 1).
function exit(): never {
  sqlite.close();
  process.exit(0);
}
