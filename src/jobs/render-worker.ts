import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { prepareStatement } from '../db/prepared-statement.js';
import { openReader, type DatabaseTarget } from '../db/read-only.js';
import type { PowerEventRenderPlans } from '../history/power-event-store.js';
import type { PlaceRenderPlans } from '../places/place-store.js';
import { buildChartOption } from '../diagram/chart-option.js';
import { diagramLabels } from '../diagram/labels.js';
import { weekPlan } from '../diagram/plan-strip.js';
import { renderDiagramPng } from '../diagram/render-png.js';
import { buildWeekTimeline } from '../diagram/timeline.js';
import { answerReportRequest, type ReportRenderAnswer, type ReportRenderRequest, type ReportSource } from '../reports/report-render.js';
import type { DiagramPlan } from '../schedules/plan.js';
import { escapeHtml } from '../i18n/escape-html.js';
import { asLocale, createI18n, translatorFor } from '../i18n/translator.js';
import { exitWorker, parentChannel } from './worker-channel.js';

/**
 * The renderer: ONE long-lived worker (an ECharts worker costs 0.2–0.5 s to start) that takes
 * render requests by message — weekly diagrams and reports (/stats, the monthly report) — reads
 * each place's data with a read-only connection, draws the PNG and posts the bytes back
 * (transferred, not copied). The main thread never renders and stays the only writer. Requests
 * are taken one per turn, in the order they came, so a 'cancel' is seen between renders. Its
 * queries are the tables' owners', compiled on the main thread and prepared here.
 */
export interface RenderWorkerData {
  database: DatabaseTarget;
  plans: { places: PlaceRenderPlans; powerEvents: PowerEventRenderPlans };
}

export interface RenderRequest {
  /** Matches the answer to the request. */
  id: number;
  placeId: number;
  /** The instant the diagram shows as "now" (the main thread's clock). */
  now: number;
  timeZone: string;
  /** The outage schedule of the place's queue over the week (from the main thread's parsed copy), when it follows one. */
  plan?: DiagramPlan;
  /** The reader's language (a subscriber's own); the place's language when not given. */
  language?: string;
}

export type RenderWorkerRequest = { type: 'render'; requests: RenderRequest[] } | { type: 'report'; requests: ReportRenderRequest[] };

export type RenderWorkerAnswer =
  | { type: 'rendered'; id: number; png: ArrayBuffer; caption: string; renderMs: number }
  | { type: 'render-failed'; id: number; error: string }
  | ReportRenderAnswer;

type QueuedRequest = { type: 'render'; request: RenderRequest } | { type: 'report'; request: ReportRenderRequest };

/** Reads a little more than the 7 shown days, so an interval that began before them is included. */
const LOOK_BACK_MS = 9 * 86_400_000;

const parent = parentChannel<RenderWorkerData, RenderWorkerRequest, RenderWorkerAnswer>(isRenderRequest);
const { database, plans } = parent.data;
lowerThreadPriority();
const sqlite = await openReader(database);
const translations = createI18n();
const placeQuery = prepareStatement(sqlite, plans.places.place);
const intervalsQuery = prepareStatement(sqlite, plans.powerEvents.overlapping);

/** Reports read their data through these, with the same read-only connection. */
const reportSource: ReportSource = {
  place(placeId) {
    const place = placeQuery.get({ id: placeId });
    return place && { name: place.name, language: asLocale(place.language), createdAt: place.created_at };
  },
  intervals(placeId, from, to) {
    return intervalsQuery.all({ placeId, from, to }).map((row) => ({ status: row.status, startedAt: row.started_at, endedAt: row.ended_at }));
  },
  translator: (locale) => translatorFor(translations, locale),
};

const queue: QueuedRequest[] = [];
let draining = false;
let cancelled = false;

parent.onCancel(() => {
  cancelled = true;
  queue.length = 0;
  if (!draining) exitWorker(() => sqlite.close());
});
parent.onRequest((message) => {
  if (message.type === 'render') queue.push(...message.requests.map((request) => ({ type: 'render' as const, request })));
  else queue.push(...message.requests.map((request) => ({ type: 'report' as const, request })));
  if (!draining) void drain();
});

async function drain(): Promise<void> {
  draining = true;
  for (let next = queue.shift(); next && !cancelled; next = queue.shift()) {
    parent.post(...(next.type === 'render' ? answer(next.request) : answerReportRequest(next.request, reportSource)));
    // Let a 'cancel' or more requests in between renders.
    await nextTurn();
  }
  draining = false;
  if (cancelled) exitWorker(() => sqlite.close());
}

function answer(request: RenderRequest): [RenderWorkerAnswer, ArrayBuffer[]] {
  try {
    const started = performance.now();
    const place = placeQuery.get({ id: request.placeId });
    if (!place) return [{ type: 'render-failed', id: request.id, error: `there is no place with id ${request.placeId}` }, []];
    const intervals = intervalsQuery.all({ placeId: request.placeId, from: request.now - LOOK_BACK_MS, to: request.now }).map((row) => ({
      status: row.status,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      confirmed: row.start_edge === 'device_mains',
    }));
    const week = buildWeekTimeline({ intervals, placeCreatedAt: place.created_at, now: request.now, timeZone: request.timeZone });
    const plan = weekPlan(week, request.plan, request.timeZone);
    const labels = diagramLabels(translatorFor(translations, asLocale(request.language ?? place.language)), place.name, week, plan);
    const png = renderDiagramPng(buildChartOption(week, labels, plan));
    // A fresh ArrayBuffer of exactly the PNG: the canvas' buffer may be external or pooled,
    // which cannot be transferred.
    const bytes = new Uint8Array(png.byteLength);
    bytes.set(png);
    // HTML, like every text the bot sends (the place name is typed by users).
    const caption = escapeHtml([labels.title, labels.totals, labels.plan?.planned].filter((line) => line !== undefined).join('\n'));
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
  if (typeof message !== 'object' || message === null) return false;
  const { type, requests } = message as { type?: unknown; requests?: unknown };
  return (type === 'render' || type === 'report') && Array.isArray(requests);
}
