import type { AdminStore } from '../admins/admin-store.js';
import { PlaceInputError } from '../places/place-rules.js';
import type { Place, PlaceService, PlaceListing } from '../places/place-service.js';
import type { SubscriberStore } from '../people/subscriber-store.js';

/**
 * Which places a person may look at (statistics, diagrams, history): the one function that
 * decides, asked again on every press, so a button of someone who lost access shows nothing.
 * Admins see every place; a subscriber sees the places they follow (src/people/roles.ts says the
 * same: mayViewPlace); nobody else sees any.
 */
export interface PlaceAccess {
  /** The places this person may see (id, name, ⚠️), in menu order; none for a stranger. */
  placesFor(userId: number | undefined): Promise<PlaceListing[]>;
  /** The place, when it exists and this person may see it. */
  placeFor(userId: number | undefined, placeId: number | null): Promise<Place | undefined>;
}

export interface PlaceAccessDeps {
  admins: Pick<AdminStore, 'isAdmin'>;
  places: Pick<PlaceService, 'listing' | 'get'>;
  subscribers: Pick<SubscriberStore, 'placeIdsOf'>;
}

export function placeAccess({ admins, places, subscribers }: PlaceAccessDeps): PlaceAccess {
  /** Every place (admins), the ids of the ones followed (subscribers), or none. */
  const visible = async (userId: number | undefined): Promise<'all' | Set<number>> => {
    if (userId === undefined) return new Set();
    if (await admins.isAdmin(userId)) return 'all';
    return new Set(subscribers.placeIdsOf(userId));
  };
  return {
    async placesFor(userId) {
      const allowed = await visible(userId);
      if (allowed === 'all') return places.listing();
      const followed = await Promise.all([...allowed].map((id) => existing(places, id)));
      // In menu order, as the list is: by name, then id.
      return followed.filter((place) => place !== undefined).sort((a, b) => (a.name === b.name ? a.id - b.id : a.name < b.name ? -1 : 1));
    },
    async placeFor(userId, placeId) {
      if (placeId === null) return undefined;
      const allowed = await visible(userId);
      if (allowed !== 'all' && !allowed.has(placeId)) return undefined;
      return existing(places, placeId);
    },
  };
}

async function existing(places: Pick<PlaceService, 'get'>, placeId: number): Promise<Place | undefined> {
  try {
    return await places.get(placeId);
  } catch (error) {
    if (error instanceof PlaceInputError) return undefined;
    throw error;
  }
}
