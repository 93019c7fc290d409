import type { AdminStore } from '../admins/admin-store.js';
import { LocationInputError } from '../locations/location-rules.js';
import type { Location, LocationService } from '../locations/location-service.js';

/**
 * Which places a person may look at (statistics, diagrams, history): the one function that
 * decides, asked again on every press, so a button of someone who lost access shows nothing.
 * Today admins see every place and nobody else sees any; subscribers (a later issue) will see
 * the places they were invited to, by changing only this function.
 */
export interface PlaceAccess {
  /** The places this person may see, in menu order; none for a stranger. */
  placesFor(userId: number | undefined): Promise<Location[]>;
  /** The place, when it exists and this person may see it. */
  placeFor(userId: number | undefined, placeId: number | null): Promise<Location | undefined>;
}

export interface PlaceAccessDeps {
  admins: Pick<AdminStore, 'isAdmin'>;
  locations: Pick<LocationService, 'list' | 'get'>;
}

export function placeAccess({ admins, locations }: PlaceAccessDeps): PlaceAccess {
  const seesAll = async (userId: number | undefined): Promise<boolean> => userId !== undefined && (await admins.isAdmin(userId));
  return {
    async placesFor(userId) {
      return (await seesAll(userId)) ? locations.list() : [];
    },
    async placeFor(userId, placeId) {
      if (placeId === null || !(await seesAll(userId))) return undefined;
      try {
        return await locations.get(placeId);
      } catch (error) {
        if (error instanceof LocationInputError) return undefined;
        throw error;
      }
    },
  };
}
