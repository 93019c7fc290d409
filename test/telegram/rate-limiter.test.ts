import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatRateLimiter, PRIORITY, type TimeSource } from '../../src/telegram/rate-limiter.js';

/** Time that moves only when the test says; timers fire as it passes them. */
class ManualTime implements TimeSource {
  private current = 0;
  private timers: Array<{ at: number; callback: () => void; live: boolean }> = [];
  now(): number {
    return this.current;
  }
  setTimer(callback: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.current + ms, callback, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }
  /** Moves to `ms` from the start, firing due timers in order, and lets granted promises run. */
  async advanceTo(ms: number): Promise<void> {
    await settle(); // grants made before time moves are recorded at their time
    for (;;) {
      const next = this.timers.filter((timer) => timer.live && timer.at <= ms).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      next.live = false;
      next.callback();
      await settle();
    }
    this.current = ms;
    this.timers = this.timers.filter((timer) => timer.live);
    await settle();
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Asks for slots and records when each one was granted (in the manual time). */
function recorder(limiter: ChatRateLimiter, time: ManualTime) {
  const granted: Array<{ name: string; at: number }> = [];
  const ask = (name: string, chat: string | number, priority: number = PRIORITY.alert, signal?: AbortSignal) =>
    limiter.acquire(chat, priority, signal).then(
      () => void granted.push({ name, at: time.now() }),
      () => void granted.push({ name: `${name} (aborted)`, at: time.now() }),
    );
  return { granted, ask };
}

const limits = { globalPerSecond: 25, groupIntervalMs: 3000, privateIntervalMs: 1000 };

describe('the send-slot limiter', () => {
  test("a chat waiting for its spacing does not delay another chat's send", async () => {
    const time = new ManualTime();
    const limiter = new ChatRateLimiter(limits, time);
    const { granted, ask } = recorder(limiter, time);
    void ask('A1', -100);
    void ask('A2', -100); // must wait 3 s for the channel's spacing
    void ask('B1', -200);
    await time.advanceTo(5000);
    assert.deepEqual(granted, [
      { name: 'A1', at: 0 },
      { name: 'B1', at: 40 }, // the next global slot, not after A2
      { name: 'A2', at: 3000 },
    ]);
  });

  test('the global budget is the only bound on a burst across many chats', async () => {
    const time = new ManualTime();
    const limiter = new ChatRateLimiter(limits, time);
    const { granted, ask } = recorder(limiter, time);
    for (let chat = 1; chat <= 100; chat += 1) void ask(`c${chat}`, -chat);
    await time.advanceTo(10_000);
    assert.equal(granted.length, 100);
    assert.equal(granted.at(-1)!.at, 99 * 40, '25 a second, evenly');
    const inFirstSecond = granted.filter((grant) => grant.at < 1000).length;
    assert.equal(inFirstSecond, 25);
  });

  test('an alert gets the next slot before a diagram that has waited longer', async () => {
    const time = new ManualTime();
    const limiter = new ChatRateLimiter(limits, time);
    const { granted, ask } = recorder(limiter, time);
    for (let chat = 1; chat <= 5; chat += 1) void ask(`diagram ${chat}`, -chat, PRIORITY.diagram);
    await time.advanceTo(1); // the first diagram has its slot; four wait for theirs
    void ask('alert', -99, PRIORITY.alert);
    void ask('notice', 1001, PRIORITY.notice);
    await time.advanceTo(1000);
    assert.deepEqual(
      granted.map((grant) => grant.name),
      ['diagram 1', 'alert', 'notice', 'diagram 2', 'diagram 3', 'diagram 4', 'diagram 5'],
    );
  });

  test("a 429 holds back only its chat, for as long as Telegram asked", async () => {
    const time = new ManualTime();
    const limiter = new ChatRateLimiter(limits, time);
    const { granted, ask } = recorder(limiter, time);
    limiter.holdChat(-100, 7_000);
    void ask('held', -100);
    void ask('other', -200);
    await time.advanceTo(10_000);
    assert.deepEqual(granted, [
      { name: 'other', at: 0 },
      { name: 'held', at: 7_000 },
    ]);
  });

  test('private chats are spaced by a second, and an aborted wait gives its place up', async () => {
    const time = new ManualTime();
    const limiter = new ChatRateLimiter(limits, time);
    const { granted, ask } = recorder(limiter, time);
    const stop = new AbortController();
    void ask('p1', 1001);
    void ask('p2', 1001, PRIORITY.alert, stop.signal);
    void ask('p3', 1001);
    await time.advanceTo(500);
    stop.abort(new Error('stopping'));
    await time.advanceTo(5_000);
    assert.deepEqual(granted, [
      { name: 'p1', at: 0 },
      { name: 'p2 (aborted)', at: 500 },
      { name: 'p3', at: 1000 },
    ]);
    assert.equal(limiter.waiting, 0);
  });
});
