import type { App } from '../app.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Store } from '../db/connection.js';
import type { LocationService } from '../locations/location-service.js';
import type { Logger } from '../logger.js';
import type { Monitor } from '../monitor/monitor.js';
import type { AdminStore } from '../admins/admin-store.js';

/** Posts a place's weekly diagram to its channel right away ("send diagram now", /diagram). */
export interface DiagramSender {
  sendNow(locationId: number): Promise<void>;
}

/** What the bot's features may use: the same services the HTTP side and the CLI use. */
export interface BotFeatureDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  store: Store;
  admins: AdminStore;
  locations: LocationService;
  monitor: Monitor;
  /** Wakes the outbox after a feature queued something (e.g. "send diagram now"). */
  wakeOutbox: () => void;
  app: App;
  /** Absent in a build without diagrams: the bot then says so instead of pretending. */
  diagrams?: DiagramSender;
}
