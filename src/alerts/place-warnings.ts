import type { DeliveryPlaces } from '../places/delivery-places.js';
import type { OutboxStore } from '../outbox/outbox-store.js';
import type { PlaceWarnings } from '../telegram/transport.js';

/**
 * The places' `alerting_failed` warning as the transport raises it: the flag on the place, and
 * the admins' notice queued in the same transaction, so they are told once and never lose it.
 */
export function placeWarnings(places: DeliveryPlaces, outbox: OutboxStore): PlaceWarnings {
  return {
    flag: (place, problem, now) =>
      outbox.inTransaction(() => {
        if (!places.flag(place.id, problem.reason)) return false;
        outbox.enqueue({ kind: 'admin_notice', placeId: place.id, payload: { notice: 'alerting_failed', placeName: place.name, ...problem } }, now);
        return true;
      }),
    clear: (placeId) => places.clearFlag(placeId),
    alertsWaiting: (placeId) => outbox.hasUndelivered(placeId, 'alert'),
  };
}
