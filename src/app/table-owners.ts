import type { Config } from '../config.js';
import type { Store } from '../db/connection.js';
import { AdminStore } from '../admins/admin-store.js';
import { DiagramStore } from '../diagram/diagram-store.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../clock.js';
import { UpdateLog } from '../sessions/update-log.js';
import { ServiceStateStore } from '../db/service-state.js';
import { DeviceStore } from '../devices/device-store.js';
import { PowerEventStore } from '../history/power-event-store.js';
import { PowerStore } from '../monitor/power-store.js';
import { OutboxStore } from '../outbox/outbox-store.js';
import { DestinationStore } from '../people/destination-store.js';
import { InviteStore } from '../people/invite-store.js';
import { PlaceAlerts } from '../people/place-alerts.js';
import { SnoozeStore } from '../people/snooze-store.js';
import { SubscriberStore } from '../people/subscriber-store.js';
import { DeliveryPlaces } from '../places/delivery-places.js';
import { PlaceStore } from '../places/place-store.js';

/** The people around places (src/people/): who follows them, invite links, snoozes, chats' topics and quiet hours. */
export interface PeopleStores {
  subscribers: SubscriberStore;
  invites: InviteStore;
  snoozes: SnoozeStore;
  destinations: DestinationStore;
  /** Where a place's alert goes: its chat and its subscribers, or held by its snooze. */
  alerts: PlaceAlerts;
}

/** The owners of the tables the parts share, each made once on the opened database. */
export interface TableOwners {
  /** Every producer queues through it, the dispatcher settles through it. */
  outbox: OutboxStore;
  /** The places' owner (the `locations` table), shared by the monitor, the admin's side, people and diagrams. */
  places: PlaceStore;
  diagrams: DiagramStore;
  people: PeopleStores;
  /** The power intervals of every place. */
  events: PowerEventStore;
  devices: DeviceStore;
  /** The service's own small facts (who holds the database, the setup code, when it was last alive). */
  serviceState: ServiceStateStore;
  /** The monitor's writes that land together: a place's alerts reach the outbox through the people's fan-out. */
  power: PowerStore;
  admins: AdminStore;
  /** Webhook updates already taken, so one reaching a second instance is not acted on twice. */
  updates: UpdateLog;
}

/** The tables' owners, each made once on the opened database and shared by every part that needs it. */
export function tableOwners(store: Store, config: Config, logger: Logger, clock: Clock): TableOwners {
  const outbox = new OutboxStore(store.connection);
  const places = new PlaceStore(store.connection);
  const people = peopleStores(store, outbox, places, config.defaultChannelId, logger);
  const events = new PowerEventStore(store.connection);
  const devices = new DeviceStore(store.connection);
  return {
    outbox,
    places,
    diagrams: new DiagramStore(store.connection, outbox, places),
    people,
    events,
    devices,
    serviceState: new ServiceStateStore(store.connection),
    power: new PowerStore(store.connection, { places, events, devices, outbox: people.alerts }),
    admins: new AdminStore(store.connection, config.ownerId),
    updates: new UpdateLog(store.connection, clock),
  };
}

function peopleStores(store: Store, outbox: OutboxStore, places: PlaceStore, defaultChannelId: string | undefined, logger: Logger): PeopleStores {
  const subscribers = new SubscriberStore(store.connection, places);
  const snoozes = new SnoozeStore(store.connection, places);
  const delivery = new DeliveryPlaces(places);
  const alerts = new PlaceAlerts({
    outbox,
    subscribers,
    snoozes,
    chatOf: (placeId) => delivery.get(placeId)?.channel_id ?? defaultChannelId,
    logger,
  });
  return { subscribers, invites: new InviteStore(store.connection, places), snoozes, destinations: new DestinationStore(store.connection, places), alerts };
}
