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
  /** Time passes inside one synchronous stretch: no timer can fire until it ends. */
  pass(ms: number): void {
    this.current += ms;
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

  test('thousands waiting on one signal: one abort gives them all up; a granted wait lets go of its signal', async () => {
    const time = new ManualTime();
    const limiter = new ChatRateLimiter(limits, time);
    const { granted, ask } = recorder(limiter, time);
    const stop = new AbortController();
    // How many abort listeners the signal holds: added minus removed.
    let listeners = 0;
    const signal = stop.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      if (args[0] === 'abort') listeners += 1;
      return add(...args);
    }) as AbortSignal['addEventListener'];
    signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      if (args[0] === 'abort') listeners -= 1;
      return remove(...args);
    }) as AbortSignal['removeEventListener'];
    for (let i = 0; i < 3000; i += 1) void ask(`p${i}`, 10_000 + i, PRIORITY.alert, signal);
    assert.equal(listeners, 1, 'one listener for all of them');
    await time.advanceTo(100); // three slots at 0, 40 and 80 ms
    stop.abort(new Error('stopping'));
    await time.advanceTo(200);
    assert.deepEqual(granted.filter((entry) => !entry.name.endsWith('(aborted)')).map((entry) => entry.name), ['p0', 'p1', 'p2']);
    assert.equal(granted.filter((entry) => entry.name.endsWith('(aborted)')).length, 2997);
    assert.equal(limiter.waiting, 0);

    const again = new AbortController();
    await ask('late', 42, PRIORITY.alert, again.signal);
    again.abort(new Error('after the grant'));
    await time.advanceTo(300);
    assert.equal(granted.at(-1)?.name, 'late', 'an abort after the grant changes nothing');
  });

  test('thousands asking in one long synchronous stretch are granted one slot in it, the rest at their times after it', async () => {
    const time = new ManualTime();
    const limiter = new ChatRateLimiter(limits, time);
    const { granted, ask } = recorder(limiter, time);
    // 2 s of work in one turn (a city-wide burst starting its sends): a slot every 40 ms would be
    // due 50 times in it, but their sends could only start together when the turn ends.
    for (let i = 0; i < 500; i += 1) {
      void ask(`p${i}`, 10_000 + i);
      time.pass(4);
    }
    await settle(); // the stretch is over: what was granted in it gets going (no timer has fired)
    assert.equal(granted.length, 1, 'one grant in the stretch');
    await time.advanceTo(4000);
    const times = granted.map((entry) => entry.at);
    for (let i = 2; i < times.length; i += 1) assert.ok(times[i]! - times[i - 1]! >= 40, `spaced: ${times.slice(0, 8).join(', ')}…`);
    assert.ok(granted.length >= 49 && granted.length <= 52, `about 25 a second after the stretch, got ${granted.length}`);
  });
});
