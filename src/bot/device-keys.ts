import { isLocale } from '../telegram/translator.js';
import { recipeLabel, type RecipeKind } from '../devices/recipes/index.js';
import type { LocationService } from '../locations/location-service.js';

/** The key (and the device's name) a recipe of this kind puts in the device it sets up. */
export type DeviceKeyFor = (placeId: number, kind: RecipeKind) => Promise<{ key: string; name: string }>;

type DeviceOwner = Pick<LocationService, 'get' | 'devicesOf' | 'addDevice' | 'renameDevice'>;

/**
 * One device per recipe, so each thing the admin sets up has its own key, its own "on the air"
 * notice and its own line on the place's card:
 * - the ESP32 recipe is the place's first device (its config.h, as "ESP32 config" shows it);
 * - a device made for this kind before and never heard from is handed out again (asking twice
 *   does not pile up devices);
 * - a new place's only device, never heard from, becomes this one (renamed): nothing uses its key yet;
 * - otherwise a new device, named after the kind.
 */
export function deviceForRecipes(locations: DeviceOwner): DeviceKeyFor {
  return async (placeId, kind) => {
    const place = await locations.get(placeId);
    const devices = await locations.devicesOf(placeId);
    const first = devices[0];
    if (kind === 'esp32' && first) return { key: first.api_key, name: first.name };
    const name = recipeLabel(kind, isLocale(place.language) ? place.language : 'uk');
    const madeBefore = devices.find((device) => device.name === name && device.first_seen_at === null);
    if (madeBefore) return { key: madeBefore.api_key, name: madeBefore.name };
    if (devices.length === 1 && first && first.first_seen_at === null) {
      const renamed = await locations.renameDevice(placeId, first.id, name);
      return { key: renamed.api_key, name: renamed.name };
    }
    const added = await locations.addDevice(placeId, name);
    return { key: added.api_key, name: added.name };
  };
}
