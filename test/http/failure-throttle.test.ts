import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FailureThrottle, throttleKey } from '../../src/http/failure-throttle.js';

test('an address may fail 10 times at once, then once per 6 s; Retry-After says when', () => {
  const throttle = new FailureThrottle();
  const now = 1_000_000;
  for (let i = 0; i < 10; i += 1) assert.equal(throttle.recordFailure('198.51.100.1', now), 0);
  assert.equal(throttle.recordFailure('198.51.100.1', now), 6);
  assert.equal(throttle.recordFailure('198.51.100.1', now + 4_500), 2, 'refused attempts do not push the time further');
  assert.equal(throttle.recordFailure('198.51.100.1', now + 6_000), 0);
  assert.equal(throttle.recordFailure('198.51.100.1', now + 6_000), 6);
  for (let i = 0; i < 10; i += 1) assert.equal(throttle.recordFailure('198.51.100.1', now + 66_000), 0, 'full again after a minute');
});

test('addresses are independent: one bad device does not use up another address’s budget', () => {
  const throttle = new FailureThrottle();
  for (let i = 0; i < 50; i += 1) throttle.recordFailure('198.51.100.1', 0);
  assert.equal(throttle.recordFailure('198.51.100.2', 0), 0);
});

test('IPv6 clients are counted per /64, the block one customer gets', () => {
  assert.equal(throttleKey('2001:db8:1:2::1'), throttleKey('2001:db8:1:2:ffff:eeee:dddd:9'));
  assert.notEqual(throttleKey('2001:db8:1:2::1'), throttleKey('2001:db8:1:3::1'));
  assert.equal(throttleKey('2001:db8::1'), throttleKey('2001:0db8:0000:0000:1::7'));
  assert.equal(throttleKey('fe80::1%eth0'), throttleKey('fe80::2'));
  assert.equal(throttleKey('198.51.100.7'), '198.51.100.7');
  assert.notEqual(throttleKey('198.51.100.7'), throttleKey('198.51.100.8'));
  const throttle = new FailureThrottle();
  for (let i = 0; i < 10; i += 1) assert.equal(throttle.recordFailure(`2001:db8:1:2::${i.toString(16)}`, 0), 0);
  assert.ok(throttle.recordFailure('2001:db8:1:2::ffff', 0) > 0, 'rotating addresses inside one /64 does not escape');
});

test('memory stays bounded under a flood of addresses, and idle entries are dropped', () => {
  const throttle = new FailureThrottle({ burst: 10, refillEveryMs: 6_000, maxAddresses: 1_000 });
  for (let i = 0; i < 20_000; i += 1) throttle.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, i);
  assert.ok(throttle.size <= 1_000, `${throttle.size} addresses kept`);
  // Long after, with everyone's budget full again, a few new failures clear the old entries out.
  for (let i = 0; i < 10; i += 1) throttle.recordFailure(`192.0.2.${i}`, 10_000_000);
  assert.ok(throttle.size <= 20, `${throttle.size} addresses kept once the others are idle`);
});
