import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Versioned migrations, imported statically: Kysely's FileMigrationProvider loads files by path at
 * run time, which breaks when the code runs from dist/ or another working directory.
 * Never edit a migration that has shipped; add the next one.
 */
const migrations: Record<string, Migration> = {
  '0001_core': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('locations')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('api_key', 'text', (c) => c.notNull().unique())
        .addColumn('timeout_s', 'integer', (c) => c.notNull().defaultTo(60))
        .addColumn('channel_id', 'text')
        .addColumn('language', 'text', (c) => c.notNull().defaultTo('uk'))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('unknown'))
        .addColumn('status_since', 'integer')
        .addColumn('last_heartbeat_at', 'integer')
        .addColumn('deadline_at', 'integer')
        .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('alerting_failed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('alerting_error', 'text')
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('device_fw', 'text')
        .addColumn('device_rssi', 'integer')
        .addColumn('device_uptime_ms', 'integer')
        .addColumn('device_boot_id', 'text')
        .addColumn('device_reset_reason', 'text')
        .addColumn('device_ip', 'text')
        .execute();
      // The sweep's one query: watched places whose deadline has passed.
      await sql`CREATE INDEX locations_sweep ON locations (deadline_at) WHERE deadline_at IS NOT NULL AND paused = 0`.execute(db);

      await db.schema
        .createTable('power_events')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('location_id', 'integer', (c) => c.notNull().references('locations.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'integer', (c) => c.notNull())
        .addColumn('ended_at', 'integer')
        .addColumn('start_edge', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('power_events_by_location').on('power_events').columns(['location_id', 'started_at']).execute();
      // At most one open interval per place, and a direct lookup of it on every state change.
      await sql`CREATE UNIQUE INDEX power_events_open ON power_events (location_id) WHERE ended_at IS NULL`.execute(db);

      await db.schema
        .createTable('outbox')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('location_id', 'integer', (c) => c.references('locations.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'integer', (c) => c.notNull())
        .addColumn('sent_at', 'integer')
        .addColumn('message_id', 'integer')
        .addColumn('failed_at', 'integer')
        .addColumn('last_error', 'text')
        .execute();
      await sql`CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE sent_at IS NULL AND failed_at IS NULL`.execute(db);

      await db.schema
        .createTable('service_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_bot': {
    async up(db: Kysely<unknown>) {
      // Telegram users allowed to administer; `language` is the admin's own choice for the UI.
      await db.schema
        .createTable('admins')
        .addColumn('user_id', 'integer', (c) => c.primaryKey())
        .addColumn('added_at', 'integer', (c) => c.notNull())
        .addColumn('added_by', 'integer')
        .addColumn('display_name', 'text')
        .addColumn('language', 'text')
        .execute();
      // grammY sessions and conversation state: a key/value StorageAdapter, so menus and
      // conversations survive a restart.
      await db.schema
        .createTable('bot_sessions')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .execute();
      // The daily diagram post of each place: one row per place and local day.
      await db.schema
        .createTable('diagram_messages')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('location_id', 'integer', (c) => c.notNull().references('locations.id').onDelete('cascade'))
        .addColumn('chat_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('message_id', 'integer', (c) => c.notNull())
        .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .execute();
      // The flapping window asks for a place's last alert post.
      await db.schema.createIndex('outbox_by_location').on('outbox').columns(['location_id', 'kind', 'sent_at']).execute();
      await db.schema.createIndex('diagram_messages_by_day').on('diagram_messages').columns(['location_id', 'day']).unique().execute();
    },
  },
  '0003_delivery': {
    async up(db: Kysely<unknown>) {
      // When delivery of a row first failed: after ~10 minutes of failing the place is flagged.
      await db.schema.alterTable('outbox').addColumn('failing_since', 'integer').execute();
      // The dispatcher loads undelivered rows by id. A partial index holds only those rows, so
      // the poll stays a short index range at any number of delivered rows (the old index on
      // (next_attempt_at, id) did not fit the query, which scanned the whole table).
      await sql`DROP INDEX IF EXISTS outbox_pending`.execute(db);
      await sql`CREATE INDEX outbox_undelivered ON outbox (id) WHERE sent_at IS NULL AND failed_at IS NULL`.execute(db);
    },
  },
  '0004_schedules': {
    async up(db: Kysely<unknown>) {
      // The last good copy of each outage-schedule source (src/schedules/schedule-store.ts), so a
      // restart does not forget the plan, with what conditional requests and staleness need.
      await db.schema
        .createTable('schedule_sources')
        .addColumn('source_id', 'text', (c) => c.primaryKey())
        .addColumn('body', 'text')
        .addColumn('etag', 'text')
        .addColumn('last_modified', 'text')
        .addColumn('as_of', 'integer')
        .addColumn('fetched_at', 'integer')
        .addColumn('changed_at', 'integer')
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('last_attempt_at', 'integer')
        .execute();
      // A place's schedule: source id and queue (both null when it follows none), warnings before
      // planned outages (0 = off, or 15/30/60 minutes ahead), and whether to post tomorrow's plan.
      await db.schema.alterTable('locations').addColumn('schedule_source', 'text').execute();
      await db.schema.alterTable('locations').addColumn('schedule_queue', 'text').execute();
      await db.schema
        .alterTable('locations')
        .addColumn('schedule_warn_min', 'integer', (c) => c.notNull().defaultTo(0).check(sql`schedule_warn_min IN (0, 15, 30, 60)`))
        .execute();
      await db.schema.alterTable('locations').addColumn('schedule_post_tomorrow', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      // The version of each day's plan a place was last told about (or saw first), for change posts.
      await db.schema
        .createTable('schedule_told')
        .addColumn('location_id', 'integer', (c) => c.notNull().references('locations.id').onDelete('cascade'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('intervals', 'text', (c) => c.notNull())
        .addColumn('told_at', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('schedule_told_pk', ['location_id', 'day'])
        .execute();
      // Warnings already posted, one per place and planned start, so a restart never repeats one.
      await db.schema
        .createTable('schedule_warnings')
        .addColumn('location_id', 'integer', (c) => c.notNull().references('locations.id').onDelete('cascade'))
        .addColumn('starts_at', 'integer', (c) => c.notNull())
        .addColumn('warned_at', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('schedule_warnings_pk', ['location_id', 'starts_at'])
        .execute();
      // Planned outages that did not happen at a place ("за графіком, але світло було"), for its history.
      await db.schema
        .createTable('schedule_skips')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('location_id', 'integer', (c) => c.notNull().references('locations.id').onDelete('cascade'))
        .addColumn('starts_at', 'integer', (c) => c.notNull())
        .addColumn('ends_at', 'integer', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('queue', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('schedule_skips_by_place').on('schedule_skips').columns(['location_id', 'starts_at']).unique().execute();
    },
  },
  '0005_key_rotation': {
    async up(db: Kysely<unknown>) {
      // Rotating a key while the board still has the old one must not look like an outage:
      // either the old key keeps working until the board first uses the new one (bounded), or
      // it stops at once and the place waits for the new key without deciding anything.
      await db.schema.alterTable('locations').addColumn('previous_api_key', 'text').execute();
      await db.schema.alterTable('locations').addColumn('previous_key_until', 'integer').execute();
      await db.schema.alterTable('locations').addColumn('awaiting_key_since', 'integer').execute();
      await sql`CREATE UNIQUE INDEX locations_previous_key ON locations (previous_api_key) WHERE previous_api_key IS NOT NULL`.execute(db);
    },
  },
  '0006_channel_title': {
    async up(db: Kysely<unknown>) {
      // Channels are named by their title in the chat and in notices, not "-1001234567890". Kept
      // per chat (a channel shared by places, the default channel), remembered when a channel is
      // linked and refreshed when the bot shows it; the id stands in while no title is known.
      await db.schema
        .createTable('channel_titles')
        .addColumn('chat_id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .execute();
    },
  },
  '0007_people': {
    async up(db: Kysely<unknown>) {
      // The people around a place (src/people/*): private subscribers, invite links, snoozes and
      // how posts reach a group or forum topic. Quiet hours are local minutes of the day; both
      // null is "off", and a window may cross midnight (23:00–07:00 is 1380 → 420).
      // Written so that no NULL can make it pass by accident (a CHECK that is NULL passes).
      const quietHours = sql`(quiet_start_min IS NULL) = (quiet_end_min IS NULL)
        AND (quiet_start_min IS NULL
          OR (quiet_start_min BETWEEN 0 AND 1439 AND quiet_end_min BETWEEN 0 AND 1439 AND quiet_start_min <> quiet_end_min))`;
      const flag = (column: string) => sql`${sql.ref(column)} IN (0, 1)`;

      await db.schema
        .createTable('subscribers')
        .addColumn('user_id', 'integer', (c) => c.primaryKey())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('quiet_start_min', 'integer')
        .addColumn('quiet_end_min', 'integer')
        .addColumn('active', 'integer', (c) => c.notNull().check(flag('active')))
        .addColumn('inactive_since', 'integer')
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addCheckConstraint('subscribers_quiet_hours', quietHours)
        .execute();

      await db.schema
        .createTable('subscriptions')
        .addColumn('location_id', 'integer', (c) => c.notNull().references('locations.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('subscribers.user_id').onDelete('cascade'))
        .addColumn('since', 'integer', (c) => c.notNull())
        .addColumn('wants_alerts', 'integer', (c) => c.notNull().check(flag('wants_alerts')))
        .addColumn('wants_plan_warnings', 'integer', (c) => c.notNull().check(flag('wants_plan_warnings')))
        .addColumn('wants_weekly', 'integer', (c) => c.notNull().check(flag('wants_weekly')))
        .addPrimaryKeyConstraint('subscriptions_pk', ['location_id', 'user_id'])
        .execute();
      await db.schema.createIndex('subscriptions_by_user').on('subscriptions').column('user_id').execute();
      // A person is kept only while they follow a place: leaving the last one, being removed from
      // it, or its deletion (a cascade) forgets their name, language and quiet hours too.
      await sql`CREATE TRIGGER subscribers_forget_when_no_place AFTER DELETE ON subscriptions
        WHEN NOT EXISTS (SELECT 1 FROM subscriptions WHERE user_id = OLD.user_id)
        BEGIN DELETE FROM subscribers WHERE user_id = OLD.user_id; END`.execute(db);

      await db.schema
        .createTable('place_invites')
        .addColumn('token', 'text', (c) => c.primaryKey())
        .addColumn('location_id', 'integer', (c) => c.notNull().references('locations.id').onDelete('cascade'))
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .addColumn('expires_at', 'integer')
        .addColumn('replaced_at', 'integer')
        .execute();
      // At most one live link per place, found directly.
      await sql`CREATE UNIQUE INDEX place_invites_live ON place_invites (location_id) WHERE replaced_at IS NULL`.execute(db);

      await db.schema
        .createTable('place_snoozes')
        .addColumn('location_id', 'integer', (c) => c.primaryKey().references('locations.id').onDelete('cascade'))
        .addColumn('since', 'integer', (c) => c.notNull())
        .addColumn('until', 'integer', (c) => c.notNull())
        .addColumn('set_by', 'integer')
        .execute();
      await db.schema.createIndex('place_snoozes_by_until').on('place_snoozes').column('until').execute();
      // Held alerts belong to their snooze: ending it (deleting the row) drops them with it.
      await db.schema
        .createTable('snoozed_alerts')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('location_id', 'integer', (c) => c.notNull().references('place_snoozes.location_id').onDelete('cascade'))
        .addColumn('alert', 'text', (c) => c.notNull())
        .addColumn('held_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('snoozed_alerts_by_place').on('snoozed_alerts').columns(['location_id', 'id']).execute();

      await db.schema
        .createTable('place_destinations')
        .addColumn('location_id', 'integer', (c) => c.primaryKey().references('locations.id').onDelete('cascade'))
        .addColumn('chat_id', 'text', (c) => c.notNull())
        .addColumn('chat_type', 'text', (c) => c.check(sql`chat_type IS NULL OR chat_type IN ('channel', 'group', 'supergroup')`))
        .addColumn('thread_id', 'integer')
        .addColumn('topic_name', 'text')
        .addColumn('quiet_start_min', 'integer')
        .addColumn('quiet_end_min', 'integer')
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .addCheckConstraint('place_destinations_topic', sql`thread_id IS NULL OR (chat_type IS NOT NULL AND chat_type = 'supergroup' AND thread_id > 0)`)
        .addCheckConstraint('place_destinations_quiet_hours', quietHours)
        .execute();
    },
  },
  '0008_reports': {
    async up(db: Kysely<unknown>) {
      // Weekly summaries and monthly reports (src/reports/): on for every place unless an admin
      // turns them off, and a record of what was queued, so a restart never posts a period twice.
      const flag = (column: string) => sql`${sql.ref(column)} IN (0, 1)`;
      await db.schema.alterTable('locations').addColumn('weekly_report', 'integer', (c) => c.notNull().defaultTo(1).check(flag('weekly_report'))).execute();
      await db.schema.alterTable('locations').addColumn('monthly_report', 'integer', (c) => c.notNull().defaultTo(1).check(flag('monthly_report'))).execute();
      await db.schema
        .createTable('report_posts')
        .addColumn('location_id', 'integer', (c) => c.notNull().references('locations.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('weekly', 'monthly')`))
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('queued_at', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('report_posts_pk', ['location_id', 'kind', 'period'])
        .execute();
      // The pinned diagram's caption under its status line, so a status change edits only the caption.
      await db.schema.alterTable('diagram_messages').addColumn('caption', 'text').execute();
    },
  },
  '0009_devices': {
    async up(db: Kysely<unknown>) {
      // Several devices per place (issue 21), each with its own key. Each place's key becomes its
      // first device, with what is known of it; `first_seen_at` is set for a device already heard
      // from, so nobody is told a long-known board is "on the air".
      await db.schema
        .createTable('devices')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('location_id', 'integer', (c) => c.notNull().references('locations.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('api_key', 'text', (c) => c.notNull().unique())
        .addColumn('previous_api_key', 'text')
        .addColumn('previous_key_until', 'integer')
        .addColumn('awaiting_key_since', 'integer')
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('first_seen_at', 'integer')
        .addColumn('last_seen_at', 'integer')
        .addColumn('last_heartbeat_at', 'integer')
        .addColumn('link', 'text', (c) => c.check(sql`link IS NULL OR link IN ('wifi', 'mobile', 'ethernet')`))
        .addColumn('mains', 'integer', (c) => c.check(sql`mains IS NULL OR mains IN (0, 1)`))
        .addColumn('mains_since', 'integer')
        .addColumn('event_ids', 'text')
        .addColumn('fw', 'text')
        .addColumn('rssi', 'integer')
        .addColumn('ip', 'text')
        .addColumn('uptime_ms', 'integer')
        .addColumn('boot_id', 'text')
        .addColumn('reset_reason', 'text')
        .addColumn('silent_check_at', 'integer')
        .addColumn('silent_noticed_at', 'integer')
        .execute();
      await db.schema.createIndex('devices_by_location').on('devices').columns(['location_id', 'id']).execute();
      await sql`CREATE UNIQUE INDEX devices_previous_key ON devices (previous_api_key) WHERE previous_api_key IS NOT NULL`.execute(db);
      // The silence check's one query: devices whose silence is due to be looked at.
      await sql`CREATE INDEX devices_silent_check ON devices (silent_check_at) WHERE silent_check_at IS NOT NULL`.execute(db);
      await sql`CREATE INDEX devices_key_grace ON devices (previous_key_until) WHERE previous_key_until IS NOT NULL`.execute(db);
      await sql`
        INSERT INTO devices (location_id, name, api_key, previous_api_key, previous_key_until, awaiting_key_since, created_at,
                             first_seen_at, last_seen_at, last_heartbeat_at, fw, rssi, ip, uptime_ms, boot_id, reset_reason)
        SELECT id, CASE language WHEN 'en' THEN 'Device 1' ELSE 'Пристрій 1' END, api_key, previous_api_key, previous_key_until,
               awaiting_key_since, created_at, last_heartbeat_at, last_heartbeat_at, last_heartbeat_at, device_fw, device_rssi,
               device_ip, device_uptime_ms, device_boot_id, device_reset_reason
        FROM locations ORDER BY id`.execute(db);
      // Every place has its first device from the moment it exists, however it is created (the
      // bot, the CLI, a script): its key is the place's key.
      await sql`
        CREATE TRIGGER locations_first_device AFTER INSERT ON locations
        BEGIN
          INSERT INTO devices (location_id, name, api_key, created_at)
          VALUES (NEW.id, CASE NEW.language WHEN 'en' THEN 'Device 1' ELSE 'Пристрій 1' END, NEW.api_key, NEW.created_at);
        END`.execute(db);
    },
  },
  '0010_schedule_insights': {
    async up(db: Kysely<unknown>) {
      // Each queue's published plan per local day, as last seen (src/schedules/schedule-store.ts):
      // a copy drops days as they pass, and "which queue am I?" compares a place's record with
      // what every queue was given on the same days. Pruned after a few weeks.
      await db.schema
        .createTable('schedule_days')
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('queue', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('plan', 'emergency')`))
        .addColumn('intervals', 'text', (c) => c.notNull())
        .addColumn('seen_at', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('schedule_days_pk', ['source_id', 'queue', 'day'])
        .execute();
      // What the admins were told about a place's queue (a suggestion, "no queue fits", a better
      // queue than the one followed), so each is said once, across restarts.
      await db.schema
        .createTable('schedule_hints')
        .addColumn('location_id', 'integer', (c) => c.notNull().references('locations.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('suggest', 'none', 'better')`))
        .addColumn('queue', 'text', (c) => c.notNull())
        .addColumn('told_at', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('schedule_hints_pk', ['location_id', 'kind', 'queue'])
        .execute();
      // The emergency state last announced in a place's chat (1: emergency cuts, 0: back on schedule).
      await db.schema
        .createTable('schedule_emergency')
        .addColumn('location_id', 'integer', (c) => c.primaryKey().references('locations.id').onDelete('cascade'))
        .addColumn('emergency', 'integer', (c) => c.notNull().check(sql`emergency IN (0, 1)`))
        .addColumn('told_at', 'integer', (c) => c.notNull())
        .execute();
      // Failed reads of a source, for "failures in the last day" on the sources screen. Pruned.
      await db.schema
        .createTable('schedule_failures')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('schedule_failures_by_source').on('schedule_failures').columns(['source_id', 'at']).execute();
    },
  },
  '0011_telegram_updates': {
    async up(db: Kysely<unknown>) {
      // The webhook updates already taken, by Telegram's update_id: with several instances behind
      // one address, Telegram's retry of an update may reach another instance, which must not act
      // on it twice (src/sessions/update-log.ts). Pruned after two days.
      await db.schema
        .createTable('telegram_updates')
        .addColumn('update_id', 'integer', (c) => c.primaryKey())
        .addColumn('seen_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('telegram_updates_by_age').on('telegram_updates').column('seen_at').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
