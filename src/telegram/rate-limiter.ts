import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../clock.js';

export interface RateLimits {
  /** Telegram allows about 30 messages a second in all; stay under it. */
  globalPerSecond: number;
  /** Channels and groups: about 20 messages a minute each. */
  groupIntervalMs: number;
  /** Private chats: about one message a second each. */
  privateIntervalMs: number;
}

export const TELEGRAM_LIMITS: RateLimits = { globalPerSecond: 25, groupIntervalMs: 3000, privateIntervalMs: 1000 };

/**
 * Spaces sends so the bot stays inside Telegram's limits instead of collecting 429s: each send
 * reserves the next free slot both globally and in its chat, then waits for it. A 429 that still
 * comes is handled by auto-retry with Telegram's own `retry_after`.
 */
export class ChatRateLimiter {
  private nextGlobalSlot = 0;
  private readonly nextChatSlot = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: RateLimits = TELEGRAM_LIMITS,
  ) {}

  async acquire(chatId: string | number, signal?: AbortSignal): Promise<void> {
    const chat = String(chatId);
    const now = this.clock.now();
    const slot = Math.max(now, this.nextGlobalSlot, this.nextChatSlot.get(chat) ?? 0);
    this.nextGlobalSlot = slot + 1000 / this.limits.globalPerSecond;
    this.nextChatSlot.set(chat, slot + (isPrivateChat(chat) ? this.limits.privateIntervalMs : this.limits.groupIntervalMs));
    if (this.nextChatSlot.size > 10_000) this.forgetPast(now);
    if (slot > now) await sleep(slot - now, undefined, signal ? { signal } : undefined);
  }

  private forgetPast(now: number): void {
    for (const [chat, next] of this.nextChatSlot) if (next <= now) this.nextChatSlot.delete(chat);
  }
}

function isPrivateChat(chat: string): boolean {
  return /^\d+$/.test(chat);
}
