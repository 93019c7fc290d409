import type { Alert } from '../monitor/state-machine.js';

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
export interface AdminNoticePayload {
  notice: 'alerting_failed';
  placeName: string;
  channel: string;
  reason: string;
  cause?: 'refused' | 'unreachable';
  /** For `unreachable`: how long posts had been failing, in minutes. */
  minutes?: number;
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

/** A message to queue: the kind, the place it belongs to (if any), and its payload. */
export type OutboxMessage =
  | { kind: 'alert'; locationId: number; payload: AlertPayload }
  | { kind: 'private_alert'; locationId: number; payload: PrivateAlertPayload }
  | { kind: 'admin_notice'; locationId: number | null; payload: AdminNoticePayload }
  | { kind: 'diagram'; locationId: number; payload: DiagramPayload }
  | { kind: 'unpin'; locationId: null; payload: UnpinPayload };

export type OutboxKind = OutboxMessage['kind'];
export type PayloadOf<K extends OutboxKind> = Extract<OutboxMessage, { kind: K }>['payload'];

export const OUTBOX_KINDS: readonly OutboxKind[] = ['alert', 'private_alert', 'admin_notice', 'diagram', 'unpin'];

export class PayloadError extends Error {}

/** Reads a stored payload of `kind`; throws a PayloadError saying what is wrong with it. */
export function parsePayload<K extends OutboxKind>(kind: K, text: string): PayloadOf<K> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PayloadError(`not JSON: ${text.slice(0, 100)}`);
  }
  if (!isPayload(kind, value)) throw new PayloadError(`not a ${kind} payload: ${text.slice(0, 100)}`);
  return value as PayloadOf<K>;
}

function isPayload(kind: OutboxKind, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  switch (kind) {
    case 'alert':
      return isAlertPayload(record);
    case 'private_alert':
      return isAlertPayload(record) && Number.isSafeInteger(record.userId) && (record.userId as number) > 0;
    case 'admin_notice':
      return record.notice === 'alerting_failed' && typeof record.placeName === 'string' && typeof record.reason === 'string';
    case 'diagram':
      return (record.action === 'post' || record.action === 'edit') && typeof record.day === 'string' && /^\d{4}-\d\d-\d\d$/.test(record.day);
    case 'unpin':
      return typeof record.chat === 'string' && Number.isInteger(record.messageId);
  }
}

function isAlert(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ['power_off', 'power_on', 'short_outage'].includes(String((value as Record<string, unknown>).kind));
}

function isAlertPayload(record: Record<string, unknown>): boolean {
  if (!isAlert(record.alert)) return false;
  return record.snoozed === undefined || (Array.isArray(record.snoozed) && record.snoozed.length > 0 && record.snoozed.every(isAlert));
}
