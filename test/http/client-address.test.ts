import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientAddress, normalizeAddress } from '../../src/http/client-address.js';

const headers = (values: Record<string, string>) => (name: string) => values[name.toLowerCase()] ?? '';

test('none: the connection address, without the IPv4-mapped prefix, whatever the headers say', () => {
  const h = headers({ 'x-forwarded-for': '198.51.100.1', 'fly-client-ip': '198.51.100.2' });
  assert.equal(clientAddress({ kind: 'none' }, '::ffff:203.0.113.5', h), '203.0.113.5');
  assert.equal(clientAddress({ kind: 'none' }, '2001:db8::5', h), '2001:db8::5');
  assert.equal(clientAddress({ kind: 'none' }, undefined, h), 'unknown');
});

test('fly: Fly-Client-IP, or the connection when it is missing or not an address', () => {
  assert.equal(clientAddress({ kind: 'fly' }, '::ffff:172.16.0.1', headers({ 'fly-client-ip': '203.0.113.7' })), '203.0.113.7');
  assert.equal(clientAddress({ kind: 'fly' }, '::ffff:172.16.0.1', headers({ 'fly-client-ip': ' 2001:db8::7 ' })), '2001:db8::7');
  assert.equal(clientAddress({ kind: 'fly' }, '::ffff:172.16.0.1', headers({ 'fly-client-ip': '::ffff:203.0.113.8' })), '203.0.113.8');
  assert.equal(clientAddress({ kind: 'fly' }, '::ffff:172.16.0.1', headers({})), '172.16.0.1');
  assert.equal(clientAddress({ kind: 'fly' }, '::ffff:172.16.0.1', headers({ 'fly-client-ip': 'evil, 1.2.3.4' })), '172.16.0.1');
});

test('hops: the N-th X-Forwarded-For entry from the right, the connection when there are fewer', () => {
  const xff = headers({ 'x-forwarded-for': '10.0.0.1, 198.51.100.1,203.0.113.9' });
  assert.equal(clientAddress({ kind: 'hops', hops: 1 }, '127.0.0.1', xff), '203.0.113.9');
  assert.equal(clientAddress({ kind: 'hops', hops: 2 }, '127.0.0.1', xff), '198.51.100.1');
  assert.equal(clientAddress({ kind: 'hops', hops: 3 }, '127.0.0.1', xff), '10.0.0.1');
  assert.equal(clientAddress({ kind: 'hops', hops: 4 }, '127.0.0.1', xff), '127.0.0.1');
  assert.equal(clientAddress({ kind: 'hops', hops: 1 }, '::ffff:127.0.0.1', headers({})), '127.0.0.1');
  assert.equal(clientAddress({ kind: 'hops', hops: 1 }, '127.0.0.1', headers({ 'x-forwarded-for': '198.51.100.1, garbage' })), '127.0.0.1');
  assert.equal(clientAddress({ kind: 'hops', hops: 1 }, '127.0.0.1', headers({ 'x-forwarded-for': '203.0.113.9:52100' })), '203.0.113.9');
  assert.equal(clientAddress({ kind: 'hops', hops: 1 }, '127.0.0.1', headers({ 'x-forwarded-for': '[2001:db8::9]:52100' })), '2001:db8::9');
});

test('normalizeAddress drops only the IPv4-mapped prefix', () => {
  assert.equal(normalizeAddress('::ffff:10.1.2.3'), '10.1.2.3');
  assert.equal(normalizeAddress('::FFFF:10.1.2.3'), '10.1.2.3');
  assert.equal(normalizeAddress('::ffff:1'), '::ffff:1');
  assert.equal(normalizeAddress('2001:db8::1'), '2001:db8::1');
});
