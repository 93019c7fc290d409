import type { Updateable } from 'kysely';
import type { Clock } from '../clock.js';
import type { LocationsTable } from '../db/schema.js';
import type { PowerEventRow, PowerEventStore } from '../history/power-event-store.js';
import type { Device, DeviceStore } from '../devices/device-store.js';
import type { Place, PlaceStore, PlaceListing } from './place-store.js';
import {
  DEFAULT_TIMEOUT_S,
  PlaceInputError,
  newDeviceKey,
  validateChannel,
  validateLanguage,
  validateName,
  validateTimeout,
} from './place-rules.js';
import { DEFAULT_LOCALE } from '../i18n/translator.js';

export type { Place, PlaceListing };

/** The owners of the tables the service reads and changes. */
export interface PlaceOwners {
  places: PlaceStore;
  events: PowerEventStore;
  devices: DeviceStore;
}

/** How a rotated key is handled (see PlaceService.rotateKey). */
export type KeyRotation = 'revoke' | 'keep-old';

/**
 * What the service asks of the one who watches the places (the monitor, src/monitor/): a change
 * that moves a place's state, deadline or keys is made there, under its rules and in its
 * transaction, with the alert it may cause.
 */
export interface PlaceWatch {
  /** The new timeout, and the pending deadline moved with it. */
  setTimeout(placeId: number, timeoutS: number): void;
  /** A new key for the device (the place's first one when not given); false: no such place or device. */
  rotateKey(placeId: number, mode: KeyRotation, newKey: string, deviceId?: number): boolean;
  /** Undefined: no such place. */
  addDevice(placeId: number, name: string, apiKey: string): Device | undefined;
  removeDevice(placeId: number, deviceId: number): 'removed' | 'missing' | 'last';
  /** False when nothing changed (no such place, or it was paused already). */
  pause(placeId: number): boolean;
  /** False when nothing changed (no such place, or it was not paused). */
  resume(placeId: number): boolean;
}

/** The place's pinned diagrams: read before a delete, unpinned after it (the diagram side). */
export interface PinnedDiagrams {
  pinnedOf(placeId: number): Array<{ chat_id: string; message_id: number }>;
  unpinLater(messages: Array<{ chat_id: string; message_id: number }>, now: number): void;
  /** An admin changed what the place's status line says (paused, resumed, key revoked): show it. */
  statusChanged?(placeId: number, now: number): void;
}

/** The place's weekly summary and monthly report, each on or off (src/reports/). */
export interface ReportSwitches {
  weekly?: boolean;
  monthly?: boolean;
}

export interface NewPlace {
  name: string;
  timeoutS?: number | string;
  channelId?: string | null;
  language?: string;
}

/**
 * Everything an admin can do to a place. Used by the bot and, until then and for scripts, by the
 * CLI. Every input is validated before anything is written; a refusal is a PlaceInputError
 * whose message says what to do instead.
 */
export class PlaceService {
  private readonly places: PlaceStore;
  private readonly events: PowerEventStore;
  private readonly devices: DeviceStore;

  constructor(
    owners: PlaceOwners,
    private readonly watch: PlaceWatch,
    private readonly clock: Clock,
    private readonly pins?: PinnedDiagrams,
  ) {
    this.places = owners.places;
    this.events = owners.events;
    this.devices = owners.devices;
  }

  async create(input: NewPlace): Promise<Place> {
    const values = {
      name: validateName(input.name),
      timeout_s: input.timeoutS === undefined ? DEFAULT_TIMEOUT_S : validateTimeout(input.timeoutS),
      channel_id: input.channelId ? validateChannel(input.channelId) : null,
      language: input.language === undefined ? DEFAULT_LOCALE : validateLanguage(input.language),
    };
    return this.places.insert({ ...values, api_key: newDeviceKey(), status: 'unknown', created_at: this.clock.now(), paused: 0, alerting_failed: 0 });
  }

  async list(): Promise<Place[]> {
    return this.places.list();
  }

  /** Every place's id, name and ⚠️ flag, by name: for lists that show a page of them. */
  async listing(): Promise<PlaceListing[]> {
    return this.places.listing();
  }

  async get(id: number): Promise<Place> {
    const place = this.places.get(id);
    if (!place) throw new PlaceInputError(`There is no place with id ${id}. List the places to see their ids.`, 'place-missing', { id });
    return place;
  }

  async rename(id: number, name: string): Promise<Place> {
    return this.update(id, { name: validateName(name) });
  }

  /** A new timeout applies from the last heartbeat on (the monitor moves the deadline with it). */
  async setTimeout(id: number, timeout: number | string): Promise<Place> {
    const timeoutS = validateTimeout(timeout);
    await this.get(id);
    this.watch.setTimeout(id, timeoutS);
    return this.get(id);
  }

  async setChannel(id: number, channel: string | null): Promise<Place> {
    return this.update(id, { channel_id: channel === null ? null : validateChannel(channel), alerting_failed: 0, alerting_error: null });
  }

  async setLanguage(id: number, language: string): Promise<Place> {
    return this.update(id, { language: validateLanguage(language) });
  }

  /**
   * A new key works at once. 'revoke': the old one stops at once (it leaked) and the place waits
   * for the board to use the new key, posting no outage. 'keep-old': the old key keeps working
   * until the board first uses the new one (at most 7 days).
   */
  async rotateKey(id: number, mode: KeyRotation): Promise<Place> {
    await this.get(id);
    this.watch.rotateKey(id, mode, newDeviceKey());
    this.pins?.statusChanged?.(id, this.clock.now());
    return this.get(id);
  }

  // --- devices (issue 21): a place has one or more, each with its own key ---

  /** The place's devices, its first one first. */
  async devicesOf(id: number): Promise<Device[]> {
    await this.get(id);
    return this.devices.ofPlace(id);
  }

  /** One device of the place (refused when it belongs to another place or is gone). */
  async device(id: number, deviceId: number): Promise<Device> {
    const device = this.devices.get(deviceId);
    if (!device || device.location_id !== id) {
      throw new PlaceInputError(`The place has no device with id ${deviceId}. List its devices to see their ids.`, 'device-missing', { id: deviceId });
    }
    return device;
  }

  /** A new device with its own key; its first call is announced to the admins. */
  async addDevice(id: number, name: string): Promise<Device> {
    await this.get(id);
    const deviceName = this.uniqueDeviceName(id, name);
    const device = this.watch.addDevice(id, deviceName, newDeviceKey());
    if (!device) throw new PlaceInputError(`There is no place with id ${id}. List the places to see their ids.`, 'place-missing', { id });
    return device;
  }

  async renameDevice(id: number, deviceId: number, name: string): Promise<Device> {
    await this.device(id, deviceId);
    this.devices.rename(deviceId, this.uniqueDeviceName(id, name, deviceId));
    return this.device(id, deviceId);
  }

  /** A new key for one device, as rotateKey does for the place's first one. */
  async rotateDeviceKey(id: number, deviceId: number, mode: KeyRotation): Promise<Device> {
    await this.device(id, deviceId);
    this.watch.rotateKey(id, mode, newDeviceKey(), deviceId);
    this.pins?.statusChanged?.(id, this.clock.now());
    return this.device(id, deviceId);
  }

  /** Removes a device; the place's last one cannot be removed (delete the place instead). */
  async removeDevice(id: number, deviceId: number): Promise<Device> {
    const device = await this.device(id, deviceId);
    const outcome = this.watch.removeDevice(id, deviceId);
    if (outcome === 'missing') throw new PlaceInputError(`The place has no device with id ${deviceId}.`, 'device-missing', { id: deviceId });
    if (outcome === 'last') {
      throw new PlaceInputError(
        `"${device.name}" is the place's only device: a place needs one to be watched. Add another first, rotate its key if it leaked, or delete the place.`,
        'device-last',
        { name: device.name },
      );
    }
    this.pins?.statusChanged?.(id, this.clock.now());
    return device;
  }

  private uniqueDeviceName(id: number, input: string, self?: number): string {
    const name = validateName(input);
    const taken = this.devices.ofPlace(id).some((other) => other.id !== self && other.name.toLocaleLowerCase() === name.toLocaleLowerCase());
    if (taken) throw new PlaceInputError(`The place already has a device named "${name}"; choose another name.`, 'device-name-taken', { name });
    return name;
  }

  async pause(id: number): Promise<Place> {
    await this.get(id);
    this.watch.pause(id);
    this.pins?.statusChanged?.(id, this.clock.now());
    return this.get(id);
  }

  async resume(id: number): Promise<Place> {
    await this.get(id);
    this.watch.resume(id);
    this.pins?.statusChanged?.(id, this.clock.now());
    return this.get(id);
  }

  /** Turns the place's weekly summary and/or monthly report on or off. */
  async setReports(id: number, switches: ReportSwitches): Promise<Place> {
    const changes: Partial<Pick<Place, 'weekly_report' | 'monthly_report'>> = {};
    if (switches.weekly !== undefined) changes.weekly_report = switches.weekly ? 1 : 0;
    if (switches.monthly !== undefined) changes.monthly_report = switches.monthly ? 1 : 0;
    if (Object.keys(changes).length === 0) return this.get(id);
    return this.update(id, changes);
  }

  /**
   * Deletes the place with its history and undelivered messages; its pinned diagram is unpinned
   * in the channel (queued after the delete, so a failed delete never unpins a live place).
   */
  async delete(id: number): Promise<{ name: string; events: number }> {
    const place = await this.get(id);
    const pinned = this.pins?.pinnedOf(id) ?? [];
    const events = this.events.count(id);
    this.places.delete(id);
    if (pinned.length > 0) this.pins?.unpinLater(pinned, this.clock.now());
    return { name: place.name, events };
  }

  /** The place's last `limit` power intervals, newest first. */
  async recentEvents(id: number, limit: number): Promise<PowerEventRow[]> {
    return this.events.recent(id, limit);
  }

  /** The place's whole power history, oldest first (what the CSV export holds). */
  async allEvents(id: number): Promise<PowerEventRow[]> {
    return this.events.all(id);
  }

  /** The place's power intervals that overlap [from, to), oldest first (one still open counts as lasting). */
  async eventsBetween(id: number, from: number, to: number): Promise<PowerEventRow[]> {
    return this.events.between(id, from, to);
  }

  /** How many power intervals the place has recorded: what deleting it would erase. */
  async countEvents(id: number): Promise<number> {
    return this.events.count(id);
  }

  private async update(id: number, changes: Updateable<LocationsTable>): Promise<Place> {
    const updated = this.places.update(id, changes);
    if (!updated) throw new PlaceInputError(`There is no place with id ${id}. List the places to see their ids.`, 'place-missing', { id });
    return updated;
  }
}
