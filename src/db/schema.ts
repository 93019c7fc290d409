import type { Generated } from 'kysely';
import type { Locale } from '../i18n/translator.js';

/**
 * Storage types. Every time is UTC milliseconds since the epoch. Booleans are 0/1 (SQLite).
 *
 * Naming: what people watch is a *place*: "місце" in every text they read, and `Place` (the row
 * type), `placeId`, `PlaceStore` (the table's owner), `PlaceService` in code. Only the storage
 * keeps its first name: the `locations` table and its `location_id` keys (shipped migrations are
 * not edited), so the types that mirror tables say `LocationsTable` and `location_id`.
 *
 * Each table has one owner module that holds all SQL on it (README, "How it works";
 * test/db/table-owners.test.ts).
 */
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
 * - paused: an admin paused monitoring of the place;
 * - key_revoked: the device key was revoked; nothing is known until the board uses the new one;
 * - device_mains: a device that sees the mains said so (`mains` in a heartbeat, or an event), dated
 *   at the device's own edge — confirmed, not inferred (0009_devices).
 */
export type EdgeKind =
  | 'first_heartbeat'
  | 'heartbeat'
  | 'device_uptime'
  | 'heartbeat_gap'
  | 'short_outage'
  | 'server_down'
  | 'server_restart'
  | 'paused'
  | 'key_revoked'
  | 'device_mains';

export interface LocationsTable {
  id: Generated<number>;
  name: string;
  api_key: string;
  timeout_s: number;
  channel_id: string | null;
  /** The language of the place's channel posts and diagram. */
  language: Locale;
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
  /** After a rotation that keeps the old key working: that key, accepted until `previous_key_until`. */
  previous_api_key: string | null;
  previous_key_until: number | null;
  /** The key was revoked at this time and the board has not checked in with the new one yet. */
  awaiting_key_since: number | null;
  /** Outage schedule (src/schedules/schedule-store.ts owns these): source id and queue, or null. */
  schedule_source: string | null;
  schedule_queue: string | null;
  /** Minutes of warning before a planned outage: 0 (off), 15, 30 or 60. */
  schedule_warn_min: Generated<number>;
  /** 1: post tomorrow's plan when it first appears. */
  schedule_post_tomorrow: Generated<number>;
  /** 1 (the default): the weekly summary goes to the place's channel on Monday 09:00 (src/reports/). */
  weekly_report: Generated<number>;
  /** 1 (the default): the monthly report goes to the place's channel on the 1st, 09:00. */
  monthly_report: Generated<number>;
}

export interface PowerEventsTable {
  id: Generated<number>;
  location_id: number;
  status: IntervalStatus;
  started_at: number;
  ended_at: number | null;
  start_edge: EdgeKind;
}

export type OutboxKind = 'alert' | 'private_alert' | 'diagram' | 'admin_notice' | 'unpin' | 'plan_notice' | 'private_plan_notice' | 'status_caption' | 'weekly_report' | 'monthly_report';

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
  /**
   * The caption under the status line, as last posted (HTML): a status change edits the caption
   * to the new status line over this, without drawing the picture again. Null for messages
   * posted before 0008_reports.
   */
  caption: string | null;
}

/** The last good copy of one schedule source and how fetching it has gone. */
export interface ScheduleSourcesTable {
  source_id: string;
  /** The body as received (re-read at start); null until the first good fetch. */
  body: string | null;
  etag: string | null;
  last_modified: string | null;
  /** The source's own "as of" time. */
  as_of: number | null;
  /** Last successful contact (200 or 304). */
  fetched_at: number | null;
  /** When this body was first stored. */
  changed_at: number | null;
  /** Failed attempts since the last success. */
  failures: Generated<number>;
  last_error: string | null;
  last_attempt_at: number | null;
}

export interface ScheduleToldTable {
  location_id: number;
  /** Local day, yyyy-MM-dd. */
  day: string;
  /** JSON [[start, end, "planned" | "possible"], …] of the version told. */
  intervals: string;
  told_at: number;
}

export interface ScheduleWarningsTable {
  location_id: number;
  starts_at: number;
  warned_at: number;
}

export interface ScheduleSkipsTable {
  id: Generated<number>;
  location_id: number;
  starts_at: number;
  ends_at: number;
  source_id: string;
  queue: string;
  recorded_at: number;
}

/** A queue's published plan for one local day, as last seen (0010_schedule_insights). */
export interface ScheduleDaysTable {
  source_id: string;
  queue: string;
  day: string;
  status: 'plan' | 'emergency';
  /** JSON [[start, end, "planned" | "possible"], …]; [] for an emergency day. */
  intervals: string;
  seen_at: number;
}

/** What the admins were told about a place's queue, once each. */
export interface ScheduleHintsTable {
  location_id: number;
  kind: 'suggest' | 'none' | 'better';
  /** The queue suggested ('' for "no queue fits"). */
  queue: string;
  told_at: number;
}

/** The emergency state last announced in a place's chat. */
export interface ScheduleEmergencyTable {
  location_id: number;
  emergency: number;
  told_at: number;
}

/** One failed read of a schedule source. */
export interface ScheduleFailuresTable {
  id: Generated<number>;
  source_id: string;
  at: number;
}

/** The last known title of a chat the service posts to (see src/places/channel-titles.ts). */
export interface ChannelTitlesTable {
  /** As the place (or DEFAULT_CHANNEL_ID) names it: a numeric id or an @username. */
  chat_id: string;
  title: string;
  updated_at: number;
}

// ── People around a place (issue 13; src/people/*) ────────────────────────────────────────────

/**
 * A person who follows places in a private chat with the bot. Person-level facts live here (one
 * Telegram user, one language, one night); what they follow is in `subscriptions`. A row exists
 * only while the person follows at least one place (a trigger removes it with the last one).
 */
export interface SubscribersTable {
  user_id: number;
  /** How admins see them in a place's list: "Olena Kovalenko (@olena)". */
  display_name: string;
  /** The language of their private messages. */
  language: Locale;
  /** Quiet hours as local minutes of the day, both null when off; the window may cross midnight. */
  quiet_start_min: number | null;
  quiet_end_min: number | null;
  /** 0 once Telegram said they blocked the bot (403); 1 again when they send /start. */
  active: number;
  inactive_since: number | null;
  created_at: number;
}

/** One person following one place, with what they want to get about it (0/1 each). */
export interface SubscriptionsTable {
  location_id: number;
  user_id: number;
  since: number;
  /** Outages and returns (and the summary after a snooze). */
  wants_alerts: number;
  /** Warnings before a planned outage, when the place follows a schedule. */
  wants_plan_warnings: number;
  /** The weekly summary. */
  wants_weekly: number;
}

/**
 * Invite links (deep-link tokens) per place. At most one live token per place; a renewed one keeps
 * its row with `replaced_at`, so an old link can be told apart from one that never existed.
 */
export interface PlaceInvitesTable {
  token: string;
  location_id: number;
  created_at: number;
  created_by: number | null;
  /** Null: valid until renewed. */
  expires_at: number | null;
  replaced_at: number | null;
}

/** "Don't notify" for a place until `until`: changes are recorded, posts are held. */
export interface PlaceSnoozesTable {
  location_id: number;
  since: number;
  until: number;
  set_by: number | null;
}

/** The alerts a snoozed place would have posted, for the one summary when the snooze ends. */
export interface SnoozedAlertsTable {
  id: Generated<number>;
  location_id: number;
  /** JSON of an Alert (src/outbox/payload-parts.ts). */
  alert: string;
  held_at: number;
}

export type DestinationChatType = 'channel' | 'group' | 'supergroup';

/**
 * How a place's posts go to its chat beyond the chat id (locations.channel_id or the default
 * channel): the forum topic, the kind of chat, quiet hours. A row applies only while `chat_id` is
 * the chat the place posts to, so linking another chat never inherits a stale topic.
 */
export interface PlaceDestinationsTable {
  location_id: number;
  chat_id: string;
  /** Null when not known (a chat linked before this table existed). */
  chat_type: DestinationChatType | null;
  /** A supergroup forum topic (`message_thread_id`); null posts to the chat itself. */
  thread_id: number | null;
  topic_name: string | null;
  /** Quiet hours of the chat (off, both null, by default). */
  quiet_start_min: number | null;
  quiet_end_min: number | null;
  updated_at: number;
}

export type ReportKind = 'weekly' | 'monthly';

/**
 * The reports queued for each place (src/reports/report-store.ts owns it): one row per place,
 * kind and period, written with the outbox rows in one transaction, so a restart never queues a
 * report twice.
 */
export interface ReportPostsTable {
  location_id: number;
  kind: ReportKind;
  /** The period: the Monday (yyyy-MM-dd) of a week, the month (yyyy-MM) of a monthly report. */
  period: string;
  queued_at: number;
}

// ── Devices of a place (issue 21; src/devices/device-store.ts) ─────────────────────────────────

/** How a device reaches the internet, when it says so (`link` in a heartbeat). */
export type DeviceLink = 'wifi' | 'mobile' | 'ethernet';

/**
 * One device of a place, with its own key and name. A place has at least one (0009_devices made
 * each place's key its first device; a trigger gives every new place its first device). The
 * place's own key columns (`locations.api_key` …) mirror its first device's, for what shows "the
 * place's key"; keys are looked up here.
 */
export interface DevicesTable {
  id: Generated<number>;
  location_id: number;
  name: string;
  api_key: string;
  /** After a rotation that keeps the old key working: that key, accepted until `previous_key_until`. */
  previous_api_key: string | null;
  previous_key_until: number | null;
  /** The key was revoked at this time and the device has not checked in with the new one yet. */
  awaiting_key_since: number | null;
  created_at: number;
  /** Its first heartbeat or event (the admin is told "on the air" then). */
  first_seen_at: number | null;
  /** Its last heartbeat or event. */
  last_seen_at: number | null;
  /** Its last heartbeat: a device that sends heartbeats is judged by them; one that never did keeps its last event's word. */
  last_heartbeat_at: number | null;
  link: DeviceLink | null;
  /** 1: it sees the mains; 0: it runs on its battery; null: it never said (a mains-only device). */
  mains: number | null;
  /** Since when `mains` is what it says, as the device dated it (server clock). */
  mains_since: number | null;
  /** The ids of its last few events, newest last, one per line (a replay is a no-op). */
  event_ids: string | null;
  fw: string | null;
  rssi: number | null;
  ip: string | null;
  uptime_ms: number | null;
  boot_id: string | null;
  reset_reason: string | null;
  /** When its silence is to be looked at (last heartbeat + the place's timeout); null once looked at. */
  silent_check_at: number | null;
  /** The admins were told it is silent while another device proves power (cleared when it is back). */
  silent_noticed_at: number | null;
}

export interface Database {
  locations: LocationsTable;
  power_events: PowerEventsTable;
  outbox: OutboxTable;
  service_state: ServiceStateTable;
  admins: AdminsTable;
  bot_sessions: BotSessionsTable;
  diagram_messages: DiagramMessagesTable;
  schedule_sources: ScheduleSourcesTable;
  schedule_told: ScheduleToldTable;
  schedule_warnings: ScheduleWarningsTable;
  schedule_skips: ScheduleSkipsTable;
  schedule_days: ScheduleDaysTable;
  schedule_hints: ScheduleHintsTable;
  schedule_emergency: ScheduleEmergencyTable;
  schedule_failures: ScheduleFailuresTable;
  channel_titles: ChannelTitlesTable;
  subscribers: SubscribersTable;
  subscriptions: SubscriptionsTable;
  place_invites: PlaceInvitesTable;
  place_snoozes: PlaceSnoozesTable;
  snoozed_alerts: SnoozedAlertsTable;
  place_destinations: PlaceDestinationsTable;
  report_posts: ReportPostsTable;
  devices: DevicesTable;
  telegram_updates: TelegramUpdatesTable;
}

/** Webhook updates already taken (by Telegram's update_id), so a retry reaching another instance is not acted on twice. */
export interface TelegramUpdatesTable {
  update_id: number;
  seen_at: number;
}
