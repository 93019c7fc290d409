import { systemClock } from '../clock.js';
import { heartbeatUrl, UNKNOWN_HOST } from '../bot/views/esp32-text.js';
import { ConfigError, loadConfig, loadDotEnvFile, type Config } from '../config.js';
import { openPostgresStore, openStore, type Store } from '../db/connection.js';
import type { Device } from '../devices/device-store.js';
import { eventUrlFor } from '../devices/device-urls.js';
import { heartbeatIntervalFor, renderEsp32ConfigHeader } from '../devices/esp32-config.js';
import { buildRecipe, isRecipeKind, RECIPE_KINDS } from '../devices/recipes/index.js';
import { recipePlainText } from '../devices/recipes/plain-text.js';
import { deviceForRecipes } from '../bot/device-keys.js';
import { isLocale } from '../i18n/translator.js';
import { DiagramStore } from '../diagram/diagram-store.js';
import { PlaceInputError } from '../places/place-rules.js';
import { PlaceService, type Place } from '../places/place-service.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { Monitor } from '../monitor/monitor.js';
import { PowerStore } from '../monitor/power-store.js';
import { OutboxStore } from '../outbox/outbox-store.js';
import { CommandLineError, parseCommandLine, type CommandLine } from './command-line.js';
import { parseSchedule } from '../schedules/parse-schedule.js';
import { checkPlaceSchedule, ScheduleInputError } from '../schedules/place-schedule.js';
import { ScheduleStore } from '../schedules/schedule-store.js';
import { ScheduleFormatError, type ScheduleSnapshot } from '../schedules/snapshot.js';
import { fetchSource } from '../schedules/source-fetch.js';
import type { ScheduleSource } from '../schedules/sources.js';
import { standaloneOwners } from '../monitor/standalone-owners.js';

/**
 * Manage places from a shell (the bot offers the same in chat). Works while the service runs:
 * both use the same SQLite file, and a rotated key is refused by the service at once.
 */
const USAGE = `Usage: npm run locations -- <command> [arguments]

  list                              all places with their status
  add <name> [--timeout 60] [--channel @name|-100…] [--language uk|en]
  show <id>                         details and the ESP32 config.h
  rename <id> <new name>
  timeout <id> <seconds|5m>
  channel <id> <@name|-100…|none>
  language <id> <uk|en>
  schedule <id> <source> <queue>    follow an outage schedule (sources: npm run schedule -- sources;
                                    queues: npm run schedule -- queues <source>), e.g. schedule 1 kyiv 3.1
  schedule <id> <source> unknown    in that source's region, queue not known: found from the outages
  schedule <id> none                follow none
  rotate-key <id> --revoke          new key; the old one stops now (it leaked); the place
                                    waits for the board to check in with the new key, no OFF
  rotate-key <id> --keep-old        new key; the old one works until the board first uses the
                                    new one (at most 7 days), for a routine change
  pause <id> | resume <id>
  delete <id>
  recipe <id> <kind> [--language uk|en]
                                    what to paste into a device you own so it reports this place
                                    (URL and key filled in); kinds: ${RECIPE_KINDS.join(', ')}

  Devices (a place has one or more, each with its own key; the place's key is its first):
  devices <id>                      the place's devices: last seen, link, mains/battery, firmware
  device-add <id> <name>            a new device with its own key; prints the key and the URLs
  device-rename <id> <device> <new name>
  device-rotate-key <id> <device> --revoke|--keep-old
  device-remove <id> <device>       the place's last device cannot be removed (delete the place)
  (<device> is the device's number from "devices", or its name)`;

async function run(argv: string[]): Promise<number> {
  let commandLine: CommandLine;
  try {
    commandLine = parseCommandLine(argv, { valueOptions: ['timeout', 'channel', 'language'], flags: { help: 'h', revoke: undefined, 'keep-old': undefined } });
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 1;
  }
  const { positionals, values, flags } = commandLine;
  const [command, ...rest] = positionals;
  if (!command || flags.help) {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  let config: Config;
  try {
    loadDotEnvFile();
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  // On PostgreSQL (DATABASE_URL) the running instances see the change at once; on SQLite as before.
  const store = await (config.databaseUrl ? openPostgresStore(config.databaseUrl) : openStore(config.databasePath));
  try {
    const subcommand = SUBCOMMANDS.get(command);
    if (!subcommand) {
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
    }
    return await subcommand(openPlaces(store, config, rest, values, flags));
  } catch (error) {
    if (error instanceof PlaceInputError || error instanceof ScheduleInputError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

/** What every subcommand works with: its arguments and the places, schedules and diagrams of the database. */
interface Cli {
  /** The arguments after the command; the first is the place's id where there is one. */
  rest: string[];
  values: CommandLine['values'];
  flags: CommandLine['flags'];
  config: Config;
  places: PlaceService;
  schedules: ScheduleStore;
  diagrams: DiagramStore;
  /** The heartbeat URL a device calls. */
  serverUrl: string;
}

/** A subcommand: does its work and says the exit code. */
type Subcommand = (cli: Cli) => Promise<number>;

function openPlaces(store: Store, config: Config, rest: string[], values: CommandLine['values'], flags: CommandLine['flags']): Cli {
  const logger = createLogger({ level: 'silent', pretty: false });
  const outbox = new OutboxStore(store.connection);
  const owners = standaloneOwners(store.connection, outbox);
  const monitor = new Monitor({ store: new PowerStore(store.connection, owners), owners, clock: systemClock, logger, metrics: createMetrics(() => ({})) });
  // A deleted place's pinned diagram is unpinned, as the bot's delete does. The service runs beside
  // this command with its own Telegram connection, so the unpin is queued in the outbox it delivers.
  const diagrams = new DiagramStore(store.connection, outbox, owners.places);
  const places = new PlaceService(owners, monitor, systemClock, {
    pinnedOf: (placeId) => diagrams.pinnedOf(placeId),
    unpinLater: (messages, now) => diagrams.unpinLater(messages, now),
  });
  const schedules = new ScheduleStore(store.connection, owners.places);
  // The same URL the chat gives: without PUBLIC_URL we cannot know this server's address.
  const serverUrl = heartbeatUrl(config.publicUrl, config.port);
  return { rest, values, flags, config, places, schedules, diagrams, serverUrl };
}

/** The place named by the first argument after the command. */
const placeId = (cli: Cli): number => parseId(cli.rest[0]);

function printDeviceConfig(place: Place, serverUrl: string): void {
  console.log(deviceConfig(place, serverUrl));
  if (serverUrl.includes(UNKNOWN_HOST)) {
    console.error(
      `\nℹ️ PUBLIC_URL is not set, so replace ${UNKNOWN_HOST} in SERVER_URL with this server's address ` +
        '(one the board can reach), or set PUBLIC_URL and run this again.',
    );
  }
}

/** Prints the place as it is after `change`. */
const changePlace =
  (change: (cli: Cli) => Promise<Place>): Subcommand =>
  async (cli) => {
    console.log(summary(await change(cli)));
    return 0;
  };

async function list({ places }: Cli): Promise<number> {
  const all = await places.list();
  if (all.length === 0) console.log('No places yet. Add one: npm run locations -- add "Home"');
  for (const place of all) console.log(summary(place));
  return 0;
}

async function add({ rest, values, places, serverUrl }: Cli): Promise<number> {
  const name = rest.join(' ');
  const place = await places.create({ name, timeoutS: values.timeout, channelId: values.channel, language: values.language });
  console.log(`Added: ${summary(place)}\n`);
  printDeviceConfig(place, serverUrl);
  return 0;
}

async function show(cli: Cli): Promise<number> {
  const place = await cli.places.get(placeId(cli));
  console.log(`${summary(place)}\n${scheduleSummary(cli.schedules, place.id, cli.config)}\n`);
  printDeviceConfig(place, cli.serverUrl);
  return 0;
}

async function schedule(cli: Cli): Promise<number> {
  const { rest, config, schedules } = cli;
  const place = await cli.places.get(placeId(cli));
  const [, sourceId, queue] = rest;
  if (sourceId === 'none' && queue === undefined) {
    schedules.setPlaceSchedule(place.id, null);
  } else if (queue === 'unknown' && sourceId) {
    const source = config.scheduleSources.find((s) => s.id === sourceId);
    if (!source) {
      console.error(`There is no schedule source "${sourceId}". Known sources: ${config.scheduleSources.map((s) => s.id).join(', ')}.`);
      return 1;
    }
    schedules.setPlaceRegion(place.id, source.id);
  } else {
    if (!sourceId || !queue) {
      console.error('Give the source and the queue, e.g. schedule 1 kyiv 3.1, or "none" (see: npm run schedule -- sources).');
      return 1;
    }
    // An unknown source is refused (naming the known ones) before anything is read.
    const source = config.scheduleSources.find((s) => s.id === sourceId);
    const checked = checkPlaceSchedule(config.scheduleSources, sourceId, queue, source && (await queuesOf(source, schedules, config.timeZone)));
    schedules.setPlaceSchedule(place.id, { source: checked.source.id, queue: checked.queue.id });
  }
  console.log(`${summary(place)}\n${scheduleSummary(schedules, place.id, config)}`);
  return 0;
}

async function rotateKey(cli: Cli): Promise<number> {
  const { flags } = cli;
  if (Boolean(flags.revoke) === Boolean(flags['keep-old'])) {
    console.error(
      'Say how the old key should end:\n' +
        '  --revoke     it leaked: it stops now, and the place waits for the board to use the new key (no outage is posted meanwhile)\n' +
        '  --keep-old   a routine change: it keeps working until the board first uses the new key (at most 7 days)',
    );
    return 1;
  }
  const place = await cli.places.rotateKey(placeId(cli), flags.revoke ? 'revoke' : 'keep-old');
  console.log(
    flags.revoke
      ? `New key for ${place.name}; the old one no longer works. Until the board checks in with the new key, no outage is posted. Update the device:\n`
      : `New key for ${place.name}; the old one keeps working until the board first uses the new one (at most 7 days). Update the device:\n`,
  );
  printDeviceConfig(place, cli.serverUrl);
  return 0;
}

async function devices(cli: Cli): Promise<number> {
  const place = await cli.places.get(placeId(cli));
  console.log(`${summary(place)}\n`);
  for (const device of await cli.places.devicesOf(place.id)) console.log(deviceSummary(device, place.timeout_s * 1000, Date.now()));
  return 0;
}

async function deviceAdd(cli: Cli): Promise<number> {
  const place = await cli.places.get(placeId(cli));
  const device = await cli.places.addDevice(place.id, cli.rest.slice(1).join(' '));
  console.log(`Added to ${place.name}: ${deviceSummary(device, place.timeout_s * 1000, Date.now())}\n`);
  console.log(deviceUrls(device, cli.serverUrl));
  return 0;
}

async function deviceRename(cli: Cli): Promise<number> {
  const { places, rest } = cli;
  const place = await places.get(placeId(cli));
  const device = await deviceOf(places, place.id, rest[1]);
  const renamed = await places.renameDevice(place.id, device.id, rest.slice(2).join(' '));
  console.log(deviceSummary(renamed, place.timeout_s * 1000, Date.now()));
  return 0;
}

async function deviceRotateKey(cli: Cli): Promise<number> {
  const { places, rest, flags } = cli;
  if (Boolean(flags.revoke) === Boolean(flags['keep-old'])) {
    console.error('Say how the old key should end: --revoke (it leaked: it stops now) or --keep-old (it works until the device first uses the new key, at most 7 days).');
    return 1;
  }
  const place = await places.get(placeId(cli));
  const device = await deviceOf(places, place.id, rest[1]);
  const rotated = await places.rotateDeviceKey(place.id, device.id, flags.revoke ? 'revoke' : 'keep-old');
  console.log(
    flags.revoke
      ? `New key for "${rotated.name}" (${place.name}); the old one no longer works. Update the device:\n`
      : `New key for "${rotated.name}" (${place.name}); the old one keeps working until the device first uses the new one (at most 7 days). Update the device:\n`,
  );
  console.log(deviceUrls(rotated, cli.serverUrl));
  return 0;
}

async function deviceRemove(cli: Cli): Promise<number> {
  const { places, rest } = cli;
  const place = await places.get(placeId(cli));
  const device = await deviceOf(places, place.id, rest[1]);
  const removed = await places.removeDevice(place.id, device.id);
  console.log(`Removed "${removed.name}" from ${place.name}; its key no longer works.`);
  return 0;
}

async function recipe(cli: Cli): Promise<number> {
  const { places, serverUrl } = cli;
  const place = await places.get(placeId(cli));
  const kind = cli.rest[1];
  if (!isRecipeKind(kind)) {
    console.error(`${kind ? `Unknown kind "${kind}". ` : ''}Give one of: ${RECIPE_KINDS.join(', ')}, e.g. recipe ${place.id} shelly`);
    return 1;
  }
  const language = cli.values.language ?? place.language;
  if (!isLocale(language)) {
    console.error(`Unknown language "${language}": uk or en.`);
    return 1;
  }
  // The same seam as the chat's "Connect a device": the key this recipe's device gets.
  const device = await deviceForRecipes(places)(place.id, kind);
  const built = buildRecipe(kind, {
    heartbeatUrl: serverUrl,
    eventUrl: eventUrlFor(serverUrl),
    key: device.key,
    intervalS: heartbeatIntervalFor(place.timeout_s),
    timeoutS: place.timeout_s,
    locale: language,
    deviceName: place.name,
  });
  console.error(`Device "${device.name}" of "${place.name}": its key is in the recipe below.`);
  process.stdout.write(recipePlainText(built, language));
  return 0;
}

async function deletePlace(cli: Cli): Promise<number> {
  const pinned = cli.diagrams.pinnedOf(placeId(cli)).length;
  const deleted = await cli.places.delete(placeId(cli));
  console.log(`Deleted "${deleted.name}" with ${deleted.events} recorded power events.`);
  if (pinned > 0) console.log('Its pinned diagram is unpinned in the channel by the running service (queued in its outbox).');
  return 0;
}

/** The subcommands by name, as USAGE lists them. */
const SUBCOMMANDS = new Map<string, Subcommand>([
  ['list', list],
  ['add', add],
  ['show', show],
  ['rename', changePlace((cli) => cli.places.rename(placeId(cli), cli.rest.slice(1).join(' ')))],
  ['timeout', changePlace((cli) => cli.places.setTimeout(placeId(cli), cli.rest[1] ?? ''))],
  ['channel', changePlace((cli) => cli.places.setChannel(placeId(cli), cli.rest[1] === 'none' ? null : (cli.rest[1] ?? '')))],
  ['language', changePlace((cli) => cli.places.setLanguage(placeId(cli), cli.rest[1] ?? ''))],
  ['schedule', schedule],
  ['rotate-key', rotateKey],
  ['devices', devices],
  ['device-add', deviceAdd],
  ['device-rename', deviceRename],
  ['device-rotate-key', deviceRotateKey],
  ['device-remove', deviceRemove],
  ['pause', changePlace((cli) => cli.places.pause(placeId(cli)))],
  ['resume', changePlace((cli) => cli.places.resume(placeId(cli)))],
  ['recipe', recipe],
  ['delete', deletePlace],
]);

function parseId(text: string | undefined): number {
  if (!text || !/^\d+$/.test(text)) throw new PlaceInputError('Give the place id as a number (see "list").', 'place-missing', { id: text ?? '' });
  return Number(text);
}

/** A device by its number (see "devices") or its name. */
async function deviceOf(places: PlaceService, placeId: number, which: string | undefined): Promise<Device> {
  if (which !== undefined && /^\d+$/.test(which)) return places.device(placeId, Number(which));
  const wanted = (which ?? '').trim().toLocaleLowerCase();
  const found = (await places.devicesOf(placeId)).find((device) => device.name.toLocaleLowerCase() === wanted);
  if (!found) throw new PlaceInputError(`The place has no device "${which ?? ''}". See its devices: devices ${placeId}`, 'device-missing', { id: which ?? '' });
  return found;
}

/** "#7 Phone — last seen 2025-06-01 14:02 UTC · mobile · on battery since … · fw 1.2 · RSSI -61 dBm". */
function deviceSummary(device: Device, timeoutMs: number, now: number): string {
  const stamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const facts: string[] = [];
  if (device.last_seen_at === null) facts.push('not heard from yet');
  else facts.push(`last seen ${stamp(device.last_seen_at)}${device.last_heartbeat_at !== null && now - device.last_heartbeat_at > timeoutMs ? ' (silent)' : ''}`);
  if (device.awaiting_key_since !== null) facts.push(`waiting for its new key since ${stamp(device.awaiting_key_since)}`);
  if (device.link) facts.push(device.link);
  if (device.mains === 1) facts.push(`mains on since ${stamp(device.mains_since ?? device.last_seen_at ?? now)}`);
  if (device.mains === 0) facts.push(`on battery since ${stamp(device.mains_since ?? device.last_seen_at ?? now)}`);
  if (device.mains === null && device.last_heartbeat_at !== null) facts.push('mains-only (its heartbeats prove power)');
  if (device.fw) facts.push(`fw ${device.fw}`);
  if (device.rssi !== null) facts.push(`RSSI ${device.rssi} dBm`);
  return `#${device.id} ${device.name} — ${facts.join(' · ')}`;
}

/** The key and the two URLs a device calls, with an example of each. */
function deviceUrls(device: Device, serverUrl: string): string {
  const events = eventUrlFor(serverUrl);
  return [
    `Key:        ${device.api_key}`,
    `Heartbeats: ${serverUrl}`,
    `Events:     ${events}`,
    '',
    `  curl -fsS -X POST -H "Authorization: Bearer ${device.api_key}" ${serverUrl}`,
    `  curl -fsS "${events}?key=${device.api_key}&mains=off"`,
  ].join('\n');
}

function summary(place: Place): string {
  const status = place.paused ? 'paused' : place.status;
  const channel = place.channel_id ?? 'default channel';
  return `#${place.id} ${place.name} — ${status}, timeout ${place.timeout_s} s, ${channel}, ${place.language}`;
}

/** "Schedule: kyiv (Kyiv city (DTEK)), queue GPV3.1; warnings 30 min ahead; tomorrow's plan not posted", or "Schedule: none". */
function scheduleSummary(schedules: ScheduleStore, placeId: number, config: Config): string {
  const settings = schedules.placeSchedule(placeId);
  if (settings?.region && !settings.queue) return `Schedule: region ${settings.region}, queue not known yet (to be found from the outages)`;
  if (!settings?.source || !settings.queue) return 'Schedule: none';
  const source = config.scheduleSources.find((s) => s.id === settings.source);
  const where = source ? `${source.id}${source.region ? ` (${source.region.en})` : ''}` : `${settings.source} (no longer configured: see SCHEDULE_SOURCES)`;
  const warnings = settings.warnMinutes === 0 ? 'no warnings' : `warnings ${settings.warnMinutes} min ahead`;
  return `Schedule: ${where}, queue ${settings.queue}; ${warnings}; tomorrow's plan ${settings.postTomorrow ? 'posted' : 'not posted'}`;
}

/**
 * The queues a source publishes, to check a queue against: the copy the service keeps (it polls
 * the sources places follow), else read from the source now.
 */
async function queuesOf(source: ScheduleSource, schedules: ScheduleStore, zone: string): Promise<Pick<ScheduleSnapshot, 'queues'>> {
  const kept = schedules.source(source.id)?.body;
  if (kept) {
    try {
      return parseSchedule(source.format, kept, zone);
    } catch (error) {
      if (!(error instanceof ScheduleFormatError)) throw error; // a kept copy that no longer reads: read it afresh
    }
  }
  const outcome = await fetchSource(source.url, null, { timeoutMs: 30_000 });
  if (outcome.kind === 'fresh') {
    try {
      return parseSchedule(source.format, outcome.body, zone);
    } catch (error) {
      if (!(error instanceof ScheduleFormatError)) throw error;
      throw new ScheduleInputError(`The source "${source.id}" (${source.url}) sent something that is not a ${source.format} schedule: ${error.message}. Nothing was changed.`, 'no-copy', { source: source.id });
    }
  }
  throw new ScheduleInputError(
    `Could not read the source "${source.id}" (${source.url}): ${outcome.kind === 'failed' ? outcome.error : 'unexpected answer'}. Its queues are needed to check the queue; nothing was changed. Try again later.`,
    'no-copy',
    { source: source.id },
  );
}

function deviceConfig(place: Place, serverUrl: string): string {
  return renderEsp32ConfigHeader({
    placeName: place.name,
    serverUrl,
    deviceKey: place.api_key,
    heartbeatIntervalS: heartbeatIntervalFor(place.timeout_s),
    timeoutS: place.timeout_s,
  });
}

process.exitCode = await run(process.argv.slice(2));
