import type { Device } from '../../../devices/device-store.js';
import { eventUrlFor } from '../../../devices/device-urls.js';
import { PlaceInputError } from '../../../places/place-rules.js';
import type { Place, PlaceService } from '../../../places/place-service.js';
import type { Logger } from '../../../logger.js';
import type { KeyRotation } from '../../../places/place-service.js';
import { localTime } from '../../../i18n/time-text.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { BotContext } from '../../context.js';
import { deviceKeyText, deviceLine } from '../../views/device-text.js';
import type { ViewOf } from '../../views/place-text.js';
import { FLOW } from '../flows/flow-ids.js';
import { findPlace, label, present, ViewMenu, withNotice, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface DevicesMenuDeps {
  places: Pick<PlaceService, 'get' | 'devicesOf' | 'device' | 'rotateDeviceKey' | 'removeDevice'>;
  logger: Logger;
  viewOf: ViewOf;
  heartbeatUrl: () => string;
}

/** A device's menu carries "placeId.deviceId" in its buttons' payload. */
function deviceSubject(ctx: BotContext): { placeId: number; deviceId: number } | null {
  const match = typeof ctx.match === 'string' ? /^(\d{1,15})\.(\d{1,15})$/.exec(ctx.match) : null;
  return match ? { placeId: Number(match[1]), deviceId: Number(match[2]) } : null;
}

/** The place a devices button is about: from "place.device" on a device's buttons, "place" on the list's. */
function placeIdOf(ctx: BotContext): number | null {
  const subject = deviceSubject(ctx);
  return subject ? subject.placeId : typeof ctx.match === 'string' && /^\d{1,15}$/.test(ctx.match) ? Number(ctx.match) : null;
}

const payload = (ctx: BotContext) => (typeof ctx.match === 'string' ? ctx.match : '');
const button = (key: string) => ({ text: label(key), payload });

/** The devices' screens as their menus reach one another (bound in devicesMenu). */
interface DeviceScreens extends Pick<AdminViews, 'showMain' | 'showPlace'> {
  showList(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void>;
  showDevice(ctx: BotContext, place: Place, device: Device, how: Presentation, notice?: string): Promise<void>;
}

/**
 * "📟 Пристрої" of a place: its devices with what each last said, adding one (a name, then its
 * key and addresses), and per device: rename, a new key (planned or leaked, as for the place),
 * its key and addresses again, and removing it (confirmed; the last one cannot be removed — the
 * place would have nothing watching it).
 */
export function devicesMenu(deps: DevicesMenuDeps, views: Pick<AdminViews, 'showMain' | 'showPlace'>) {
  // The menus lead to one another; each reaches the others through `screens`, bound below.
  const screens: DeviceScreens = {
    showMain: views.showMain,
    showPlace: views.showPlace,
    showList: (ctx, placeId, how, notice) => showDeviceList(deps, screens, list, ctx, placeId, how, notice),
    showDevice: (ctx, place, device, how, notice) => showDevice(deps, one, ctx, place, device, how, notice),
  };
  const kit = devicesMenuKit(deps, screens);
  const list = deviceListMenu(deps, kit, screens);
  const rotate = rotateDeviceKeyMenu(deps, kit, screens);
  const remove = removeDeviceMenu(deps, kit, screens);
  const one = deviceMenu(deps, kit, screens, { rotate, remove });

  // Children first: registering merges each menu's index into its parent's.
  one.register([rotate, remove]);
  list.register(one);
  return { menu: list, showList: screens.showList, sendKey: (ctx: BotContext, place: Place, device: Device) => sendKey(deps, ctx, place, device) };
}

/** What the devices' menus share: finding the pressed device, and a redraw when a menu is outdated. */
interface DevicesMenuKit {
  /** A button about one device: runs `handler` with it and its place; when either is gone, says so instead. */
  onDevice(handler: (ctx: PressContext, place: Place, device: Device) => Promise<unknown>): (ctx: PressContext) => Promise<void>;
  fingerprint(prefix: string): (ctx: BotContext) => Promise<string>;
  onMenuOutdated(ctx: PressContext): Promise<void>;
}

function devicesMenuKit({ places }: Pick<DevicesMenuDeps, 'places'>, screens: DeviceScreens): DevicesMenuKit {
  /** The place and device a device button is about, or null once the view was redrawn (gone). */
  async function pressed(ctx: PressContext): Promise<{ place: Place; device: Device } | null> {
    const subject = deviceSubject(ctx);
    const place = subject && (await findPlace(places, subject.placeId));
    if (!subject || !place) {
      await screens.showMain(ctx, 'edit', ctx.t('place-gone'));
      return null;
    }
    try {
      return { place, device: await places.device(place.id, subject.deviceId) };
    } catch (error) {
      if (!(error instanceof PlaceInputError)) throw error;
      await screens.showList(ctx, place.id, 'edit', ctx.t('device-gone'));
      return null;
    }
  }
  return {
    onDevice: (handler) => async (ctx) => {
      const found = await pressed(ctx);
      if (found) await handler(ctx, found.place, found.device);
    },
    fingerprint: (prefix) => async (ctx) => {
      const place = await findPlace(places, placeIdOf(ctx));
      if (!place) return `${prefix}:gone`;
      const devices = await places.devicesOf(place.id);
      // The place and its devices (a device button carries "place.device", the list's own buttons "place").
      return `${prefix}:${place.id}:${devices.map((device) => device.id).join(',')}`;
    },
    async onMenuOutdated(ctx) {
      await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
      const place = await findPlace(places, placeIdOf(ctx));
      if (place) await screens.showList(ctx, place.id, 'edit');
      else await screens.showMain(ctx, 'edit', ctx.t('place-gone'));
    },
  };
}

/** The list: one button per device, then "add" and "back". */
function deviceListMenu({ places }: Pick<DevicesMenuDeps, 'places'>, kit: DevicesMenuKit, screens: DeviceScreens): ViewMenu {
  const menu = new ViewMenu('dv', { fingerprint: kit.fingerprint('dv'), onMenuOutdated: kit.onMenuOutdated });
  const open = kit.onDevice((ctx, place, device) => screens.showDevice(ctx, place, device, 'edit'));
  menu.dynamic(async (ctx, range) => {
    const place = await findPlace(places, placeIdOf(ctx));
    if (!place) return range;
    for (const device of await places.devicesOf(place.id)) {
      range.text({ text: `📟 ${device.name}`, payload: `${place.id}.${device.id}` }, open);
      range.row();
    }
    return range;
  });
  menu
    .text(button('btn-device-add'), async (ctx) => {
      const place = await findPlace(places, placeIdOf(ctx));
      if (!place) return screens.showMain(ctx, 'edit', ctx.t('place-gone'));
      await ctx.conversation.enter(FLOW.addDevice, place.id);
    })
    .row()
    .text(button('btn-back'), async (ctx) => {
      const placeId = placeIdOf(ctx);
      if (placeId === null) return screens.showMain(ctx, 'edit');
      await screens.showPlace(ctx, placeId, 'edit');
    });
  return menu;
}

async function showDeviceList(
  { places, viewOf }: Pick<DevicesMenuDeps, 'places' | 'viewOf'>,
  screens: Pick<DeviceScreens, 'showMain'>,
  menu: ViewMenu,
  ctx: BotContext,
  placeId: number,
  how: Presentation,
  notice?: string,
): Promise<void> {
  const place = await findPlace(places, placeId);
  if (!place) return screens.showMain(ctx, how, ctx.t('place-gone'));
  ctx.match = String(place.id);
  const view = viewOf(ctx.t);
  const devices = await places.devicesOf(place.id);
  const lines = [ctx.t('devices-title', { name: escapeHtml(place.name), count: devices.length })];
  for (const device of devices) lines.push(deviceLine(device, place.timeout_s * 1000, view));
  lines.push('', ctx.t('devices-hint'));
  await present(ctx, how, withNotice(notice, lines.join('\n')), menu);
}

/** One device: its key and addresses, rename, a new key, remove. */
function deviceMenu(deps: DevicesMenuDeps, kit: DevicesMenuKit, screens: DeviceScreens, confirmations: { rotate: ViewMenu; remove: ViewMenu }): ViewMenu {
  const { onDevice } = kit;
  const menu = new ViewMenu('dd', { fingerprint: kit.fingerprint('dd'), onMenuOutdated: kit.onMenuOutdated });
  menu
    .text(button('btn-device-key'), onDevice((ctx, place, device) => sendKey(deps, ctx, place, device)))
    .text(button('btn-device-rename'), onDevice((ctx, place, device) => ctx.conversation.enter(FLOW.renameDevice, place.id, device.id)))
    .row()
    .text(
      button('btn-rotate'),
      onDevice((ctx, _place, device) => present(ctx, 'edit', ctx.t('device-rotate-confirm', { name: escapeHtml(device.name) }), confirmations.rotate)),
    )
    .text(
      button('btn-device-remove'),
      onDevice(async (ctx, place, device) => {
        const devices = await deps.places.devicesOf(place.id);
        if (devices.length === 1) return screens.showDevice(ctx, place, device, 'edit', ctx.t('location-error-device-last', { name: escapeHtml(device.name) }));
        await present(ctx, 'edit', ctx.t('device-remove-confirm', { name: escapeHtml(device.name), place: escapeHtml(place.name) }), confirmations.remove);
      }),
    )
    .row()
    .text(button('btn-back'), async (ctx) => {
      const placeId = placeIdOf(ctx);
      if (placeId === null) return screens.showMain(ctx, 'edit');
      await screens.showList(ctx, placeId, 'edit');
    });
  return menu;
}

async function showDevice(
  { viewOf }: Pick<DevicesMenuDeps, 'viewOf'>,
  menu: ViewMenu,
  ctx: BotContext,
  place: Place,
  device: Device,
  how: Presentation,
  notice?: string,
): Promise<void> {
  ctx.match = `${place.id}.${device.id}`;
  const text = [ctx.t('device-title', { name: escapeHtml(device.name), place: escapeHtml(place.name) }), deviceLine(device, place.timeout_s * 1000, viewOf(ctx.t))].join('\n');
  await present(ctx, how, withNotice(notice, text), menu);
}

/** The device's key and both addresses, as a message of its own (to copy into the device). */
async function sendKey({ heartbeatUrl }: Pick<DevicesMenuDeps, 'heartbeatUrl'>, ctx: BotContext, place: Place, device: Device): Promise<void> {
  const heartbeat = heartbeatUrl();
  await ctx.reply(deviceKeyText(device, place.name, heartbeat, eventUrlFor(heartbeat), ctx.t), { link_preview_options: { is_disabled: true } });
}

/** "New key?" for one device: keep the old one for a while (planned) or revoke it at once (leaked); then the new key. */
function rotateDeviceKeyMenu(deps: DevicesMenuDeps, kit: DevicesMenuKit, screens: DeviceScreens): ViewMenu {
  const { places, logger, viewOf } = deps;
  const menu = new ViewMenu('dk', { fingerprint: kit.fingerprint('dk'), onMenuOutdated: kit.onMenuOutdated });
  const rotate = (mode: KeyRotation) =>
    kit.onDevice(async (ctx, place, device) => {
      const rotated = await places.rotateDeviceKey(place.id, device.id, mode);
      logger.info({ placeId: place.id, deviceId: device.id, userId: ctx.from.id, mode }, 'device key rotated from the bot');
      const done =
        mode === 'keep-old'
          ? ctx.t('device-rotate-done-keep', { name: escapeHtml(device.name), until: localTime(rotated.previous_key_until ?? 0, viewOf(ctx.t)) })
          : ctx.t('device-rotate-done-revoke', { name: escapeHtml(device.name) });
      await screens.showDevice(ctx, place, rotated, 'edit', done);
      await sendKey(deps, ctx, place, rotated);
    });
  menu
    .text(button('btn-rotate-keep'), rotate('keep-old'))
    .row()
    .text(button('btn-rotate-revoke'), rotate('revoke'))
    .row()
    .text(button('btn-no'), kit.onDevice((ctx, place, device) => screens.showDevice(ctx, place, device, 'edit')));
  return menu;
}

/** "Remove the device?"; a refusal (it became the last one meanwhile, say) is said above the list. */
function removeDeviceMenu({ places, logger }: Pick<DevicesMenuDeps, 'places' | 'logger'>, kit: DevicesMenuKit, screens: DeviceScreens): ViewMenu {
  const menu = new ViewMenu('dr', { fingerprint: kit.fingerprint('dr'), onMenuOutdated: kit.onMenuOutdated });
  menu
    .text(
      button('btn-device-remove-yes'),
      kit.onDevice(async (ctx, place, device) => {
        try {
          await places.removeDevice(place.id, device.id);
        } catch (error) {
          if (!(error instanceof PlaceInputError)) throw error;
          return screens.showList(ctx, place.id, 'edit', ctx.t(`location-error-${error.code}`, error.params));
        }
        logger.info({ placeId: place.id, deviceId: device.id, userId: ctx.from.id }, 'device removed from the bot');
        await screens.showList(ctx, place.id, 'edit', ctx.t('device-removed', { name: escapeHtml(device.name) }));
      }),
    )
    .row()
    .text(button('btn-no'), kit.onDevice((ctx, place, device) => screens.showDevice(ctx, place, device, 'edit')));
  return menu;
}
