import type { RecipeKind } from '../devices/recipes/index.js';
import type { LocationService } from '../locations/location-service.js';

/**
 * The key (and name) a recipe of this kind puts in the device it sets up. This is the seam for
 * several devices per place: today it hands out the place's current key (the place's one device);
 * with the devices table it creates a device per recipe, named after what the admin picked.
 */
export type DeviceKeyFor = (placeId: number, kind: RecipeKind) => Promise<{ key: string; name: string }>;

/** Every recipe gets the place's current key, and the place's name as the device's. */
export function placeKeyForRecipes(locations: Pick<LocationService, 'get'>): DeviceKeyFor {
  return async (placeId) => {
    const place = await locations.get(placeId);
    return { key: place.api_key, name: place.name };
  };
}
