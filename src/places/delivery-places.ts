import type { PlaceStore, DeliveryColumns } from './place-store.js';

/** What delivery needs to know about a place when it posts for it. */
export type DeliveryPlace = DeliveryColumns;

/**
 * The places as delivery sees them (synchronous, main thread): a place's name, language and
 * channel, its `alerting_failed` warning, and how many places share a chat (for digests). The
 * queries are the locations owner's (PlaceStore).
 */
export class DeliveryPlaces {
  constructor(private readonly places: PlaceStore) {}

  get(id: number): DeliveryPlace | undefined {
    return this.places.deliveryView(id);
  }

  /** Shows the warning on the place; true only when it was not flagged yet (tell the admins once). */
  flag(id: number, reason: string): boolean {
    return this.places.flagAlertingFailed(id, reason);
  }

  /** A post went through: the warning goes away. True when there was one. */
  clearFlag(id: number): boolean {
    return this.places.clearAlertingFailed(id);
  }

  /** The watched places posting to `chat` (those without a channel of their own use `fallback`), and how many are off. */
  countInChat(chat: string, fallback: string | undefined): { total: number; off: number } {
    return this.places.countInChat(chat, fallback ?? null);
  }
}
