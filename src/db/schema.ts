import type { Generated } from 'kysely';

/** Storage types. Every time is UTC milliseconds since the epoch. Booleans are 0/1 (SQLite). */
export type PowerStatus = 'unknown' | 'on' | 'off';
export type IntervalStatus = 'on' | 'off' | 'unknown';

/**
 * How an interval's start was timed, so messages and diagrams can say how sure we are:
 * - first_heartbeat: monitoring began with this heartbeat;
 * - heartbeat: power came back when a heartbeat arrived;
 * - device_uptime: power came back at (heartbeat time − device uptime), more exact after a reboot;
 * - heartbeat_gap: power went at the last heartbeat before the timeout expired;
 * - short_outage: a reboot inside the timeout proved an outage nobody was told about in time;
 * - server_down: the service itself was not running, nothing is known;
 * - server_restart: the service started again and waited a full timeout before deciding;
 * - paused: an admin paused monitoring of the place.
 */
export type EdgeKind =
  | 'first_heartbeat'
  | 'heartbeat'
  | 'device_uptime'
  | 'heartbeat_gap'
  | 'short_outage'
  | 'server_down'
  | 'server_restart'
  | 'paused';

export interface LocationsTable {
  id: Generated<number>;
  name: string;
  api_key: string;
  timeout_s: number;
  channel_id: string | null;
  language: 'uk' | 'en';
  status: PowerStatus;
  status_since: number | null;
  last_heartbeat_at: number | null;
  /** When the sweep may declare the place OFF: last heartbeat (or service start) + timeout. */
  deadline_at: number | null;
  paused: number;
  alerting_failed: number;
  alerting_error: string | null;
  created_at: number;
  device_fw: string | null;
  device_rssi: number | null;
  device_uptime_ms: number | null;
  device_boot_id: string | null;
  device_reset_reason: string | null;
  device_ip: string | null;
}

export interface PowerEventsTable {
  id: Generated<number>;
  location_id: number;
  status: IntervalStatus;
  started_at: number;
  ended_at: number | null;
  start_edge: EdgeKind;
}

export type OutboxKind = 'alert' | 'diagram' | 'admin_notice' | 'unpin';

export interface OutboxTable {
  id: Generated<number>;
  /** The place the message belongs to; null for messages that outlive it (unpin after a delete). */
  location_id: number | null;
  kind: OutboxKind;
  /** JSON of the message to deliver (typed per kind in src/outbox/messages.ts). */
  payload: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  sent_at: number | null;
  /** Telegram message id once delivered: proof that a retry must not post again. */
  message_id: number | null;
  failed_at: number | null;
  last_error: string | null;
  /** When delivery first failed (null while nothing failed): "failing for 10 min" flags the place. */
  failing_since: number | null;
}

export interface ServiceStateTable {
  key: string;
  value: string;
}

export interface AdminsTable {
  user_id: number;
  added_at: number;
  added_by: number | null;
  display_name: string | null;
  language: string | null;
}

export interface BotSessionsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface DiagramMessagesTable {
  id: Generated<number>;
  location_id: number;
  chat_id: string;
  /** Local calendar day (yyyy-MM-dd in the configured zone) the post was made for. */
  day: string;
  message_id: number;
  pinned: number;
  created_at: number;
  updated_at: number;
}

export interface Database {
  locations: LocationsTable;
  power_events: PowerEventsTable;
  outbox: OutboxTable;
  service_state: ServiceStateTable;
  admins: AdminsTable;
  bot_sessions: BotSessionsTable;
  diagram_messages: DiagramMessagesTable;
}
