import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database, LocationsTable } from '../db/schema.js';
import type { Monitor } from '../monitor/monitor.js';
import {
  DEFAULT_TIMEOUT_S,
  LocationInputError,
  newDeviceKey,
  validateChannel,
  validateLanguage,
  validateName,
  validateTimeout,
  type Language,
} from './location-rules.js';

export type Location = Selectable<LocationsTable>;

/** The place's pinned diagrams: read before a delete, unpinned after it (the diagram side). */
export interface PinnedDiagrams {
  pinnedOf(locationId: number): Array<{ chat_id: string; message_id: number }>;
  unpinLater(messages: Array<{ chat_id: string; message_id: number }>, now: number): void;
}

export interface NewLocation {
  name: string;
  timeoutS?: number | string;
  channelId?: string | null;
  language?: string;
}

/**
 * Everything an admin can do to a place. Used by the bot and, until then and for scripts, by the
 * CLI. Every input is validated before anything is written; a refusal is a LocationInputError
 * whose message says what to do instead.
 */
export class LocationService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly monitor: Monitor,
    private readonly clock: Clock,
    private readonly pins?: PinnedDiagrams,
  ) {}

  async create(input: NewLocation): Promise<Location> {
    const values = {
      name: validateName(input.name),
      timeout_s: input.timeoutS === undefined ? DEFAULT_TIMEOUT_S : validateTimeout(input.timeoutS),
      channel_id: input.channelId ? validateChannel(input.channelId) : null,
      language: input.language === undefined ? ('uk' as Language) : validateLanguage(input.language),
    };
    return this.db
      .insertInto('locations')
      .values({ ...values, api_key: newDeviceKey(), status: 'unknown', created_at: this.clock.now(), paused: 0, alerting_failed: 0 })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async list(): Promise<Location[]> {
    return this.db.selectFrom('locations').selectAll().orderBy('name').orderBy('id').execute();
  }

  async get(id: number): Promise<Location> {
    const location = await this.db.selectFrom('locations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!location) throw new LocationInputError(`There is no place with id ${id}. List the places to see their ids.`, 'place-missing', { id });
    return location;
  }

  async rename(id: number, name: string): Promise<Location> {
    return this.update(id, { name: validateName(name) });
  }

  /** A new timeout applies from the last heartbeat on. */
  async setTimeout(id: number, timeout: number | string): Promise<Location> {
    const timeoutS = validateTimeout(timeout);
    const location = await this.get(id);
    const deadlineAt =
      location.deadline_at === null || location.last_heartbeat_at === null
        ? location.deadline_at
        : Math.max(location.last_heartbeat_at, this.monitor.service.startedAt) + timeoutS * 1000;
    return this.update(id, { timeout_s: timeoutS, deadline_at: deadlineAt });
  }

  async setChannel(id: number, channel: string | null): Promise<Location> {
    return this.update(id, { channel_id: channel === null ? null : validateChannel(channel), alerting_failed: 0, alerting_error: null });
  }

  async setLanguage(id: number, language: string): Promise<Location> {
    return this.update(id, { language: validateLanguage(language) });
  }

  /** A new key works at once and the old one stops working at once (one UPDATE). */
  async rotateKey(id: number): Promise<Location> {
    return this.update(id, { api_key: newDeviceKey() });
  }

  async pause(id: number): Promise<Location> {
    await this.get(id);
    this.monitor.pause(id);
    return this.get(id);
  }

  async resume(id: number): Promise<Location> {
    await this.get(id);
    this.monitor.resume(id);
    return this.get(id);
  }

  /**
   * Deletes the place with its history and undelivered messages; its pinned diagram is unpinned
   * in the channel (queued after the delete, so a failed delete never unpins a live place).
   */
  async delete(id: number): Promise<{ name: string; events: number }> {
    const location = await this.get(id);
    const pinned = this.pins?.pinnedOf(id) ?? [];
    const { events } = await this.db
      .selectFrom('power_events')
      .select((eb) => eb.fn.countAll<number>().as('events'))
      .where('location_id', '=', id)
      .executeTakeFirstOrThrow();
    await this.db.deleteFrom('locations').where('id', '=', id).execute();
    if (pinned.length > 0) this.pins?.unpinLater(pinned, this.clock.now());
    return { name: location.name, events: Number(events) };
  }

  private async update(id: number, changes: Partial<Omit<Location, 'id'>>): Promise<Location> {
    const updated = await this.db.updateTable('locations').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
    if (!updated) throw new LocationInputError(`There is no place with id ${id}. List the places to see their ids.`, 'place-missing', { id });
    return updated;
  }
}
