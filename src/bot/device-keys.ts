import { isLocale } from '../i18n/translator.js';
import { recipeLabel, type RecipeKind } from '../devices/recipes/index.js';
import type { PlaceService } from '../places/place-service.js';

/** The key (and the device's name) a recipe of this kind puts in the device it sets up. */
export type DeviceKeyFor = (placeId: number, kind: RecipeKind) => Promise<{ key: string; name: string }>;

type DeviceOwner = Pick<PlaceService, 'get' | 'devicesOf' | 'addDevice'>;

/**
 * One device per recipe, so each thing the admin sets up has its own key, its own "on the air"
 * notice and its own line on the place's card:
 * - the ESP32 recipe is the place's first device (its config.h, as "ESP32 config" shows it);
 * - a device made for this kind before and never heard from is handed out again (asking twice
 *   does not pile up devices);
 * - otherwise a new device, named after the kind. Never the place's first device: its key may sit in
 *   a board already (the add-place flow ends with its config.h), and two devices on one key would
 *   be taken for one.
 */
export function deviceForRecipes(places: DeviceOwner): DeviceKeyFor {
  return async (placeId, kind) => {
    const place = await places.get(placeId);
    const devices = await places.devicesOf(placeId);
    const first = devices[0];
    if (kind === 'esp32' && first) return { key: first.api_key, name: first.name };
    const name = recipeLabel(kind, isLocale(place.language) ? place.language : 'uk');
    const madeBefore = devices.find((device) => device.first_seen_at === null && isNamedAfter(device.name, name));
    if (madeBefore) return { key: madeBefore.api_key, name: madeBefore.name };
    const added = await places.addDevice(placeId, freeName(name, devices));
    return { key: added.api_key, name: added.name };
  };
}

/** The kind's name, or "name 2", "name 3"… when the place has a device of that name already. */
function freeName(name: string, devices: ReadonlyArray<{ name: string }>): string {
  const taken = new Set(devices.map((device) => device.name.toLocaleLowerCase()));
  if (!taken.has(name.toLocaleLowerCase())) return name;
  let n = 2;
  while (taken.has(`${name} ${n}`.toLocaleLowerCase())) n += 1;
  return `${name} ${n}`;
}

function isNamedAfter(deviceName: string, kindName: string): boolean {
  if (deviceName === kindName) return true;
  return deviceName.startsWith(`${kindName} `) && /^\d+$/.test(deviceName.slice(kindName.length + 1));
}
