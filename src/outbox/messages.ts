import { isAlertPlan, type Alert, type AlertPlan, type PlanInterval, type QueueInfo, type QuietHours } from './payload-parts.js';
import type { Locale } from '../i18n/translator.js';

/**
 * Everything the outbox can carry, one payload type per kind. The outbox stores the payload as
 * JSON; `parsePayload` reads it back and checks its shape, so a deliverer never works on a guess.
 */

/**
 * A power change of a place, for its channel. With `snoozed`, the one post after a snooze: the
 * changes it held, oldest first (`alert` is the last of them, so the state it leaves is plain).
 */
export interface AlertPayload {
  alert: Alert;
  /** What the place's outage schedule said when the change was decided; absent when it was not known (older rows too). */
  plan?: AlertPlan;
  snoozed?: Alert[];
}

/**
 * A place's alert for one subscriber, in their private chat (src/people/place-alerts.ts queues
 * one per recipient with the channel's row). Delivered in order per person and place.
 */
export interface PrivateAlertPayload extends AlertPayload {
  userId: number;
}

/**
 * A private message to every admin: a place's posts cannot get through. `refused` means Telegram
 * said no for good (no rights, not a member, no channel); `unreachable` means it has not answered
 * (5xx, network) for a while and delivery keeps trying. Rows from before `cause` existed are `refused`.
 */
export type AdminNoticePayload = AlertingFailedNotice | QueueHintNotice | DeviceNoticePayload;

export interface AlertingFailedNotice {
  notice: 'alerting_failed';
  placeName: string;
  channel: string;
  reason: string;
  cause?: 'refused' | 'unreachable';
  /** For `unreachable`: how long posts had been failing, in minutes. */
  minutes?: number;
}

/**
 * What the place's own record says about its queue (src/schedules/queue-insights.ts), with the
 * evidence: `suggest` (no queue set; `queue` fits: a button sets it), `none` (no queue fits),
 * `better` (the place follows `current`, but `queue` fits its record much better).
 */
export interface QueueHintNotice {
  notice: 'queue_hint';
  hint: 'suggest' | 'none' | 'better';
  placeId: number;
  placeName: string;
  source: string;
  queue: string | null;
  current: string | null;
  /** Outages that matched `queue` (or the best queue, for `none`), of `outages`, over `days` days. */
  matched: number;
  outages: number;
  days: number;
  /** For `better`: outages that matched the queue followed now. */
  currentMatched?: number;
}

/**
 * A private message to every admin about one device of a place (issue 21): its first call
 * (`device_online`), its silence while another device proves power (`device_silent`, quiet: a
 * lost connection, not an outage), its return after that (`device_back`, quiet).
 */
export interface DeviceNoticePayload {
  notice: 'device_online' | 'device_silent' | 'device_back';
  placeName: string;
  deviceName: string;
  /** When it happened (the first call, the moment the silence was noticed, the return). */
  at: number;
  /** device_silent: its last heartbeat, and the device that proves power meanwhile. */
  silentSince?: number;
  provedBy?: string;
}

/** Bring the place's diagram of `day` up to date: post it where none exists yet, edit it otherwise. */
export interface DiagramPayload {
  action: 'post' | 'edit';
  /** Local calendar day (yyyy-MM-dd) the diagram is for; a row for a past day is dropped. */
  day: string;
}

/**
 * Unpin a message that no longer belongs pinned: yesterday's diagram, or the diagram of a place
 * that was deleted. It carries the chat and message itself, so it outlives the place.
 */
export interface UnpinPayload {
  chat: string;
  messageId: number;
}

/**
 * Bring the status line of the place's pinned diagram up to date (after an alert went out, or an
 * admin paused it). The status is read when the edit is made, so several rows waiting for one
 * place become one edit of the latest state.
 */
export interface StatusCaptionPayload {
  /** When the change that asked for it happened (for the log). */
  at: number;
}

/** A private recipient of a report (a subscriber), with their language and quiet hours. */
export interface ReportRecipient {
  userId: number;
  language: Locale;
  quiet: QuietHours;
}

/** The weekly summary of the week beginning on `week`; to the place's channel, or to `to`. */
export interface WeeklyReportPayload {
  /** The Monday (yyyy-MM-dd, local) the week began. */
  week: string;
  to?: ReportRecipient;
}

/** The monthly report (picture and totals) of `month`, to the place's channel. */
export interface MonthlyReportPayload {
  /** yyyy-MM. */
  month: string;
}

/**
 * A post about a place's outage schedule, for its channel (src/schedules/plan-notices.ts):
 * - warning: a planned outage starts soon ("⏰ О 18:00 за графіком вимкнуть світло");
 * - changed: today's or tomorrow's plan changed after the place was first told of it;
 * - tomorrow: tomorrow's plan appeared (for places that asked for it);
 * - emergency: the region went over to emergency cuts, or back to the schedule.
 * Times are UTC ms; the words are chosen when it is posted, in the place's language.
 */
export type PlanNoticePayload =
  | { notice: 'warning'; queue: QueueInfo; interval: PlanInterval; openEnd: boolean }
  | { notice: 'changed'; queue: QueueInfo; day: string; added: PlanInterval[]; removed: PlanInterval[] }
  | { notice: 'tomorrow'; queue: QueueInfo; day: string; intervals: PlanInterval[] }
  /** Emergency cuts in the region began (`on`) or the schedule is back (not `on`). */
  | { notice: 'emergency'; queue: QueueInfo; on: boolean };

/**
 * A place's schedule post for one subscriber who chose planned-outage warnings, in their private
 * chat (src/people/place-alerts.ts queues one per recipient with the channel's row).
 */
export type PrivatePlanNoticePayload = PlanNoticePayload & { userId: number };

/** A message to queue: the kind, the place it belongs to (if any), and its payload. */
export type OutboxMessage =
  | { kind: 'alert'; placeId: number; payload: AlertPayload }
  | { kind: 'private_alert'; placeId: number; payload: PrivateAlertPayload }
  | { kind: 'admin_notice'; placeId: number | null; payload: AdminNoticePayload }
  | { kind: 'diagram'; placeId: number; payload: DiagramPayload }
  | { kind: 'unpin'; placeId: null; payload: UnpinPayload }
  | { kind: 'plan_notice'; placeId: number; payload: PlanNoticePayload }
  | { kind: 'private_plan_notice'; placeId: number; payload: PrivatePlanNoticePayload }
  | { kind: 'status_caption'; placeId: number; payload: StatusCaptionPayload }
  | { kind: 'weekly_report'; placeId: number; payload: WeeklyReportPayload }
  | { kind: 'monthly_report'; placeId: number; payload: MonthlyReportPayload };

export type OutboxKind = OutboxMessage['kind'];
export type PayloadOf<K extends OutboxKind> = Extract<OutboxMessage, { kind: K }>['payload'];

export const OUTBOX_KINDS: readonly OutboxKind[] = ['alert', 'private_alert', 'admin_notice', 'diagram', 'unpin', 'plan_notice', 'private_plan_notice', 'status_caption', 'weekly_report', 'monthly_report'];

export class PayloadError extends Error {}

/** Reads a stored payload of `kind`; throws a PayloadError saying what is wrong with it. */
export function parsePayload<K extends OutboxKind>(kind: K, text: string): PayloadOf<K> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PayloadError(`not JSON: ${text.slice(0, 100)}`);
  }
  // Queue hints queued before the place's id had one name in code carry it as `locationId`.
  if (kind === 'admin_notice' && typeof value === 'object' && value !== null && !('placeId' in value) && 'locationId' in value) {
    const stored: Record<string, unknown> = { ...value };
    stored.placeId = stored['locationId'];
    delete stored['locationId'];
    value = stored;
  }
  if (!isPayload(kind, value)) throw new PayloadError(`not a ${kind} payload: ${text.slice(0, 100)}`);
  // The plan context is extra: a plan this version cannot read costs the post its plan line, not the alert.
  const record = value as Record<string, unknown>;
  if (kind === 'alert' && 'plan' in record && !isAlertPlan(record.plan)) delete record.plan;
  return value as PayloadOf<K>;
}

function isPayload(kind: OutboxKind, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  switch (kind) {
    case 'alert':
      return isAlertPayload(record);
    case 'private_alert':
      return isAlertPayload(record) && isUserId(record.userId);
    case 'admin_notice':
      if (record.notice === 'queue_hint') return isQueueHint(record);
      if (record.notice === 'alerting_failed') return typeof record.placeName === 'string' && typeof record.reason === 'string';
      return (
        (record.notice === 'device_online' || record.notice === 'device_back' || (record.notice === 'device_silent' && typeof record.provedBy === 'string' && Number.isFinite(record.silentSince))) &&
        typeof record.placeName === 'string' &&
        typeof record.deviceName === 'string' &&
        Number.isFinite(record.at)
      );
    case 'diagram':
      return (record.action === 'post' || record.action === 'edit') && typeof record.day === 'string' && /^\d{4}-\d\d-\d\d$/.test(record.day);
    case 'unpin':
      return typeof record.chat === 'string' && Number.isInteger(record.messageId);
    case 'status_caption':
      return typeof record.at === 'number';
    case 'weekly_report':
      return typeof record.week === 'string' && /^\d{4}-\d\d-\d\d$/.test(record.week) && (record.to === undefined || isRecipient(record.to));
    case 'monthly_report':
      return typeof record.month === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(record.month);
    case 'plan_notice':
      return isPlanNotice(record);
    case 'private_plan_notice':
      return isPlanNotice(record) && isUserId(record.userId);
  }
}

function isQueueHint(record: Record<string, unknown>): boolean {
  const count = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  const queueOrNull = (v: unknown) => v === null || typeof v === 'string';
  return (
    ['suggest', 'none', 'better'].includes(String(record.hint)) &&
    Number.isInteger(record.placeId) &&
    typeof record.placeName === 'string' &&
    typeof record.source === 'string' &&
    queueOrNull(record.queue) &&
    queueOrNull(record.current) &&
    count(record.matched) &&
    count(record.outages) &&
    count(record.days) &&
    (record.hint === 'none' || typeof record.queue === 'string')
  );
}

function isUserId(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function isRecipient(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { userId, language, quiet } = value as Record<string, unknown>;
  const quietOk = quiet === null || (typeof quiet === 'object' && Number.isInteger((quiet as Record<string, unknown>).startMin) && Number.isInteger((quiet as Record<string, unknown>).endMin));
  return Number.isInteger(userId) && typeof language === 'string' && quietOk;
}

function isPlanNotice(record: Record<string, unknown>): boolean {
  const queue = record.queue as Record<string, unknown> | undefined;
  if (typeof queue !== 'object' || queue === null || typeof queue.id !== 'string') return false;
  const day = typeof record.day === 'string' && /^\d{4}-\d\d-\d\d$/.test(record.day);
  switch (record.notice) {
    case 'warning':
      return isInterval(record.interval) && typeof record.openEnd === 'boolean';
    case 'changed':
      return day && isIntervals(record.added) && isIntervals(record.removed);
    case 'tomorrow':
      return day && isIntervals(record.intervals);
    case 'emergency':
      return typeof record.on === 'boolean';
    default:
      return false;
  }
}

function isIntervals(value: unknown): boolean {
  return Array.isArray(value) && value.every(isInterval);
}

function isInterval(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { start, end, kind } = value as Record<string, unknown>;
  return Number.isFinite(start) && Number.isFinite(end) && (kind === 'planned' || kind === 'possible');
}

function isAlert(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ['power_off', 'power_on', 'short_outage'].includes(String((value as Record<string, unknown>).kind));
}

function isAlertPayload(record: Record<string, unknown>): boolean {
  if (!isAlert(record.alert)) return false;
  return record.snoozed === undefined || (Array.isArray(record.snoozed) && record.snoozed.length > 0 && record.snoozed.every(isAlert));
}
