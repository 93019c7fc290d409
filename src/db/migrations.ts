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
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
