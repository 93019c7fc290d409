import type { SyncDatabase } from '../db/sync-database.js';
import { ServiceStateStore } from '../db/service-state.js';
import { DeviceStore } from '../devices/device-store.js';
import { PowerEventStore } from '../history/power-event-store.js';
import { OutboxStore } from '../outbox/outbox-store.js';
import { PlaceStore } from '../places/place-store.js';

/** The owners a monitor (and a PlaceService) works through, each made once on one connection. */
export interface StandaloneOwners {
  places: PlaceStore;
  events: PowerEventStore;
  devices: DeviceStore;
  serviceState: ServiceStateStore;
  outbox: OutboxStore;
}

/**
 * The owners for a monitor outside the service: a command-line tool, a benchmark, a test of one
 * part. The service's composition root (src/app/table-owners.ts) makes its own, shared with every
 * other part and with the people's fan-out in front of the outbox.
 */
export function standaloneOwners(sqlite: SyncDatabase, outbox: OutboxStore = new OutboxStore(sqlite)): StandaloneOwners {
  return {
    places: new PlaceStore(sqlite),
    events: new PowerEventStore(sqlite),
    devices: new DeviceStore(sqlite),
    serviceState: new ServiceStateStore(sqlite),
    outbox,
  };
}
