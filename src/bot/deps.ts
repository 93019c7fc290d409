import type { StorageAdapter } from 'grammy';
import type { ConversationData, VersionedState } from '@grammyjs/conversations';
import type { AdminStore } from '../admins/admin-store.js';
import type { SetupCodeStore } from '../admins/setup-code.js';
import type { Clock } from '../clock.js';
import type { RenderedDiagram } from '../diagram/diagram-delivery.js';
import type { RenderRequest } from '../jobs/render-worker.js';
import type { DestinationStore } from '../people/destination-store.js';
import type { InviteStore } from '../people/invite-store.js';
import type { PlaceAlerts } from '../people/place-alerts.js';
import type { SnoozeStore } from '../people/snooze-store.js';
import type { SubscriberStore } from '../people/subscriber-store.js';
import type { PlaceService } from '../places/place-service.js';
import type { Logger } from '../logger.js';
import type { RenderedReportImage, ReportRenderRequest } from '../reports/report-render.js';
import type { ScheduleService } from '../schedules/schedule-service.js';
import type { ChannelTitleStore } from '../places/channel-titles.js';
import type { DeviceKeyFor } from './device-keys.js';
import type { TranslationSource } from '../i18n/translator.js';
import type { LanguageMemory } from './features/people/language-memory.js';

/** Posts a place's weekly diagram to its channel right away ("send diagram now", /diagram). */
export interface DiagramSender {
  sendNow(placeId: number): Promise<void>;
}

/** Draws a report (a /stats period) in the render worker: the main thread never renders. */
export interface ReportRenderer {
  renderReport(request: Omit<ReportRenderRequest, 'id'>): Promise<RenderedReportImage>;
}

/** Draws a place's weekly diagram for one reader (a subscriber's "today's diagram"), not for its channel. */
export interface DiagramImages {
  render(request: Omit<RenderRequest, 'id'>): Promise<RenderedDiagram>;
}

/** The people around places (src/people/): who follows them, invite links, snoozes, chats' topics and quiet hours. */
export interface PeopleServices {
  subscribers: Pick<
    SubscriberStore,
    'subscribe' | 'unsubscribe' | 'subscribersOf' | 'placesOf' | 'placeIdsOf' | 'person' | 'reactivate' | 'setLanguage' | 'setQuietHours' | 'setChoices'
  >;
  invites: Pick<InviteStore, 'ensure' | 'renew' | 'current' | 'check'>;
  snoozes: Pick<SnoozeStore, 'snooze' | 'active'>;
  destinations: Pick<DestinationStore, 'settingsFor' | 'link' | 'setQuietHours'>;
  /** "Notify again": ends a snooze now and queues what it held as one post. */
  alerts: Pick<PlaceAlerts, 'endSnooze'>;
}

/**
 * Everything the admin chat may use, handed in by the composition root (src/app/telegram-parts.ts). Each feature
 * takes only the part it uses (a `Pick` of this), so what a feature can touch is in its signature.
 */
export interface BotServices {
  clock: Clock;
  logger: Logger;
  /** The service's one set of translations, for texts built outside `ctx.t` (conversations). */
  translations: TranslationSource;
  admins: AdminStore;
  setupCodes: SetupCodeStore;
  /** A person's chosen language, remembered past their last subscription (people/language-memory.ts). */
  languages: LanguageMemory;
  /** Where half-finished conversations are kept, so they survive a restart. */
  conversationStorage: StorageAdapter<VersionedState<ConversationData>>;
  places: PlaceService;
  /** Outage schedules: sources, a place's queue and its plan now, planned outages that did not happen. */
  schedules: Pick<ScheduleService, 'sources' | 'source' | 'queueChoices' | 'queuesNow' | 'settings' | 'attach' | 'detach' | 'setWarnMinutes' | 'setPostTomorrow' | 'view' | 'skipsBetween' | 'sourcesHealth' | 'setRegion'>;
  /** The last known titles of channels, so the chat names them by title. */
  channelTitles: Pick<ChannelTitleStore, 'get' | 'titleOf' | 'remember'>;
  /** Absent in a build without diagrams: the bot then says so instead of pretending. */
  diagrams?: DiagramSender;
  /** Absent in a build without the render worker: /stats then says so instead of pretending. */
  reports?: ReportRenderer;
  /** Absent in a build without the render worker: a subscriber's "today's diagram" says so. */
  diagramImages?: DiagramImages;
  people: PeopleServices;
  /** Wakes the outbox after a feature queued something (e.g. "send diagram now"). */
  wakeOutbox: () => void;
  /** Writes a consistent snapshot of the database to a file (/backup). */
  /** Writes a snapshot of the SQLite file; null on PostgreSQL, whose backups are pg_dump's (the bot says how). */
  backupDatabase: ((targetPath: string) => Promise<void>) | null;
  /** The URL devices post heartbeats to (known once the server listens, hence a function). */
  heartbeatUrl: () => string;
  /** The key a device recipe carries ("Connect a device"): see device-keys.ts. */
  deviceKeyFor: DeviceKeyFor;
  /** A group the bot is in became a supergroup (its service message): the places posting there follow it. */
  followChatMove: (from: string, to: string) => number;
  timeZone: string;
  defaultChannelId: string | undefined;
}
