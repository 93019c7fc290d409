import type { Device } from '../../../devices/device-store.js';
import { eventUrlFor } from '../../../devices/device-urls.js';
import { PlaceInputError } from '../../../places/place-rules.js';
import type { Place, PlaceService } from '../../../places/place-service.js';
import type { Logger } from '../../../logger.js';
import type { KeyRotation } from '../../../places/place-service.js';
import { localTime } from '../../../telegram/alert-message.js';
import { escapeHtml } from '../../../telegram/escape-html.js';
import type { BotContext } from '../../context.js';
import { deviceKeyText, deviceLine } from '../../views/device-text.js';
import type { ViewOf } from '../../views/place-text.js';
import { FLOW } from '../flows/flow-ids.js';
import { findPlace, label, present, ViewMenu, withNotice, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface DevicesMenuDeps {
  locations: Pick<PlaceService, 'get' | 'devicesOf' | 'device' | 'rotateDeviceKey' | 'removeDevice'>;
  logger: Logger;
  viewOf: ViewOf;
  heartbeatUrl: () => string;
}

/** A device's menu carries "placeId.deviceId" in its buttons' payload. */
function deviceSubject(ctx: BotContext): { placeId: number; deviceId: number } | null {
  const match = typeof ctx.match === 'string' ? /^(\d{1,15})\.(\d{1,15})$/.exec(ctx.match) : null;
  return match ? { placeId: Number(match[1]), deviceId: Number(match[2]) } : null;
}

/**
 * "📟 Пристрої" of a place: its devices with what each last said, adding one (a name, then its
 * key and addresses), and per device: rename, a new key (planned or leaked, as for the place),
 * its key and addresses again, and removing it (confirmed; the last one cannot be removed — the
 * place would have nothing watching it).
 */
export function devicesMenu(deps: DevicesMenuDeps, views: Pick<AdminViews, 'showMain' | 'showPlace'>) {
  const { locations, logger, viewOf } = deps;
  const placeOf = (ctx: BotContext) => {
    const subject = deviceSubject(ctx);
    return subject ? subject.placeId : typeof ctx.match === 'string' && /^\d{1,15}$/.test(ctx.match) ? Number(ctx.match) : null;
  };

  /** The place and device a device button is about, or null once the view was redrawn (gone). */
  async function pressed(ctx: PressContext): Promise<{ place: Place; device: Device } | null> {
    const subject = deviceSubject(ctx);
    const place = await findPlace(locations, subject?.placeId ?? null);
    if (!place) {
      await views.showMain(ctx, 'edit', ctx.t('place-gone'));
      return null;
    }
    try {
      return { place, device: await locations.device(place.id, subject!.deviceId) };
    } catch (error) {
      if (!(error instanceof PlaceInputError)) throw error;
      await showList(ctx, place.id, 'edit', ctx.t('device-gone'));
      return null;
    }
  }

  const fingerprint = (prefix: string) => async (ctx: BotContext) => {
    const placeId = placeOf(ctx);
    const place = await findPlace(locations, placeId);
    if (!place) return `${prefix}:gone`;
    const devices = await locations.devicesOf(place.id);
    // The place and its devices (a device button carries "place.device", the list's own buttons "place").
    return `${prefix}:${place.id}:${devices.map((device) => device.id).join(',')}`;
  };
  const onMenuOutdated = async (ctx: PressContext): Promise<void> => {
    await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
    const place = await findPlace(locations, placeOf(ctx));
    if (place) await showList(ctx, place.id, 'edit');
    else await views.showMain(ctx, 'edit', ctx.t('place-gone'));
  };
  const payload = (ctx: BotContext) => (typeof ctx.match === 'string' ? ctx.match : '');
  const button = (key: string) => ({ text: label(key), payload });

  // The list: one button per device, then "add" and "back".
  const list = new ViewMenu('dv', { fingerprint: fingerprint('dv'), onMenuOutdated });
  list.dynamic(async (ctx, range) => {
    const placeId = placeOf(ctx);
    const place = await findPlace(locations, placeId);
    if (!place) return range;
    for (const device of await locations.devicesOf(place.id)) {
      range.text({ text: `📟 ${device.name}`, payload: `${place.id}.${device.id}` }, async (pressCtx) => {
        const found = await pressed(pressCtx);
        if (found) await showDevice(pressCtx, found.place, found.device, 'edit');
      });
      range.row();
    }
    return range;
  });
  list
    .text(button('btn-device-add'), async (ctx) => {
      const place = await findPlace(locations, placeOf(ctx));
      if (!place) return views.showMain(ctx, 'edit', ctx.t('place-gone'));
      await ctx.conversation.enter(FLOW.addDevice, place.id);
    })
    .row()
    .text(button('btn-back'), async (ctx) => {
      const placeId = placeOf(ctx);
      if (placeId === null) return views.showMain(ctx, 'edit');
      await views.showPlace(ctx, placeId, 'edit');
    });

  async function showList(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void> {
    const place = await findPlace(locations, placeId);
    if (!place) return views.showMain(ctx, how, ctx.t('place-gone'));
    ctx.match = String(place.id);
    const view = viewOf(ctx.t);
    const devices = await locations.devicesOf(place.id);
    const lines = [ctx.t('devices-title', { name: escapeHtml(place.name), count: devices.length })];
    for (const device of devices) lines.push(deviceLine(device, place.timeout_s * 1000, view));
    lines.push('', ctx.t('devices-hint'));
    await present(ctx, how, withNotice(notice, lines.join('\n')), list);
  }

  // One device: rename, new key, its key and addresses, remove.
  const one = new ViewMenu('dd', { fingerprint: fingerprint('dd'), onMenuOutdated });
  const onDevice = (handler: (ctx: PressContext, place: Place, device: Device) => Promise<unknown>) => async (ctx: PressContext) => {
    const found = await pressed(ctx);
    if (found) await handler(ctx, found.place, found.device);
  };
  one
    .text(button('btn-device-key'), onDevice((ctx, place, device) => sendKey(ctx, place, device)))
    .text(button('btn-device-rename'), onDevice((ctx, place, device) => ctx.conversation.enter(FLOW.renameDevice, place.id, device.id)))
    .row()
    .text(
      button('btn-rotate'),
      onDevice((ctx, _place, device) => present(ctx, 'edit', ctx.t('device-rotate-confirm', { name: escapeHtml(device.name) }), rotateMenu)),
    )
    .text(
      button('btn-device-remove'),
      onDevice(async (ctx, place, device) => {
        const devices = await locations.devicesOf(place.id);
        if (devices.length === 1) return showDevice(ctx, place, device, 'edit', ctx.t('location-error-device-last', { name: escapeHtml(device.name) }));
        await present(ctx, 'edit', ctx.t('device-remove-confirm', { name: escapeHtml(device.name), place: escapeHtml(place.name) }), removeMenu);
      }),
    )
    .row()
    .text(button('btn-back'), async (ctx) => {
      const placeId = placeOf(ctx);
      if (placeId === null) return views.showMain(ctx, 'edit');
      await showList(ctx, placeId, 'edit');
    });

  async function showDevice(ctx: BotContext, place: Place, device: Device, how: Presentation, notice?: string): Promise<void> {
    ctx.match = `${place.id}.${device.id}`;
    const text = [ctx.t('device-title', { name: escapeHtml(device.name), place: escapeHtml(place.name) }), deviceLine(device, place.timeout_s * 1000, viewOf(ctx.t))].join('\n');
    await present(ctx, how, withNotice(notice, text), one);
  }

  async function sendKey(ctx: BotContext, place: Place, device: Device): Promise<void> {
    const heartbeat = deps.heartbeatUrl();
    await ctx.reply(deviceKeyText(device, place.name, heartbeat, eventUrlFor(heartbeat), ctx.t), { link_preview_options: { is_disabled: true } });
  }

  const rotateMenu = new ViewMenu('dk', { fingerprint: fingerprint('dk'), onMenuOutdated });
  const rotate = (mode: KeyRotation) =>
    onDevice(async (ctx, place, device) => {
      const rotated = await locations.rotateDeviceKey(place.id, device.id, mode);
      logger.info({ placeId: place.id, deviceId: device.id, userId: ctx.from.id, mode }, 'device key rotated from the bot');
      const done =
        mode === 'keep-old'
          ? ctx.t('device-rotate-done-keep', { name: escapeHtml(device.name), until: localTime(rotated.previous_key_until ?? 0, viewOf(ctx.t)) })
          : ctx.t('device-rotate-done-revoke', { name: escapeHtml(device.name) });
      await showDevice(ctx, place, rotated, 'edit', done);
      await sendKey(ctx, place, rotated);
    });
  rotateMenu
    .text(button('btn-rotate-keep'), rotate('keep-old'))
    .row()
    .text(button('btn-rotate-revoke'), rotate('revoke'))
    .row()
    .text(button('btn-no'), onDevice((ctx, place, device) => showDevice(ctx, place, device, 'edit')));

  const removeMenu = new ViewMenu('dr', { fingerprint: fingerprint('dr'), onMenuOutdated });
  removeMenu
    .text(
      button('btn-device-remove-yes'),
      onDevice(async (ctx, place, device) => {
        try {
          await locations.removeDevice(place.id, device.id);
        } catch (error) {
          if (!(error instanceof PlaceInputError)) throw error;
          return showList(ctx, place.id, 'edit', ctx.t(`location-error-${error.code}`, error.params));
        }
        logger.info({ placeId: place.id, deviceId: device.id, userId: ctx.from.id }, 'device removed from the bot');
        await showList(ctx, place.id, 'edit', ctx.t('device-removed', { name: escapeHtml(device.name) }));
      }),
    )
    .row()
    .text(button('btn-no'), onDevice((ctx, place, device) => showDevice(ctx, place, device, 'edit')));

  one.register([rotateMenu, removeMenu]);
  list.register(one);
  return { menu: list, showList, sendKey };
}
