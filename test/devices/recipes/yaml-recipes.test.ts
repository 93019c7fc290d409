import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse, type ScalarTag } from 'yaml';
import type { Place } from '../../../src/places/place-service.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { tempDir } from '../../support/temp-dir.js';
import { acceptedHeartbeats, inputFor, recipeFor } from './recipe-support.js';

type Mapping = Record<string, unknown>;

function mapping(value: unknown, what: string): Mapping {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${what} is a mapping`);
  return value as Mapping;
}

function list(value: unknown, what: string): unknown[] {
  assert.ok(Array.isArray(value), `${what} is a list`);
  return value;
}

function onlyKeys(value: Mapping, allowed: string[], what: string): void {
  for (const key of Object.keys(value)) assert.ok(allowed.includes(key), `${what} has no key "${key}" (documented: ${allowed.join(', ')})`);
}

/** ESPHome's own YAML tag, read as a marker so the package line can be checked. */
const includeTag: ScalarTag = { tag: '!include', resolve: (file: string) => ({ include: file }) };

// The keys ESPHome's own schema takes (esphome/components/http_request/__init__.py, components/interval).
// Not `headers` in the action: ESPHome refuses it ("renamed to request_headers"), nor `verify_ssl` there.
const HTTP_REQUEST_KEYS = [
  'id', 'useragent', 'follow_redirects', 'redirect_limit', 'timeout', 'esp8266_disable_ssl_support', 'verify_ssl', 'watchdog_timeout',
  'buffer_size_rx', 'buffer_size_tx', 'tls_buffer_size_rx', 'tls_buffer_size_tx', 'ca_certificate_path', 'setup_priority',
];
const INTERVAL_KEYS = ['id', 'interval', 'startup_delay', 'then'];
const HTTP_POST_KEYS = ['id', 'url', 'method', 'request_headers', 'collect_headers', 'body', 'json', 'capture_response', 'max_response_buffer_size', 'on_response', 'on_error'];
// Home Assistant's own COMMAND_SCHEMA (homeassistant/components/rest_command/__init__.py); automations
// in the 2024.10+ spelling (triggers / trigger / actions / action).
const REST_COMMAND_KEYS = ['url', 'method', 'headers', 'username', 'password', 'payload', 'timeout', 'content_type', 'verify_ssl'];
const AUTOMATION_KEYS = ['id', 'alias', 'description', 'mode', 'max', 'max_exceeded', 'initial_state', 'trace', 'variables', 'trigger_variables', 'triggers', 'conditions', 'actions'];
const TIME_PATTERN_KEYS = ['trigger', 'hours', 'minutes', 'seconds', 'id', 'enabled', 'variables'];

describe('YAML recipes (ESPHome, Home Assistant): parsed, keys checked against the docs, the request run', () => {
  const dir = tempDir('recipes-yaml-');
  let t: TestApp;
  let place: Place;
  before(async () => {
    t = await startTestApp(dir.file('monitor.db'));
    place = await t.createPlace({ name: 'Дім "на дачі": #1', timeoutS: 60 });
  });
  after(async () => {
    await t.stop();
    dir.cleanup();
  });

  for (const intervalS of [10, 30]) {
    test(`ESPHome package (interval ${intervalS} s): http_request + interval with the key in request_headers`, async () => {
      const recipe = recipeFor('esphome', inputFor(t.url('/api/heartbeat'), place.api_key, { intervalS, deviceName: place.name }));
      const [file, include] = recipe.blocks;
      assert.ok(file && include);
      assert.equal(file.fileName, 'power-monitor.yaml');
      const doc = mapping(parse(file.text, { strict: true, uniqueKeys: true }), 'the package');
      onlyKeys(doc, ['http_request', 'interval'], 'the package');
      const component = mapping(doc.http_request, 'http_request');
      onlyKeys(component, HTTP_REQUEST_KEYS, 'http_request');
      assert.equal(component.verify_ssl, false, 'ESP8266 refuses a config that asks to verify certificates');
      assert.match(String(component.timeout), /^\d+(\.\d+)?(ms|s)$/);
      const intervals = list(doc.interval, 'interval');
      assert.equal(intervals.length, 1);
      const interval = mapping(intervals[0], 'the interval');
      onlyKeys(interval, INTERVAL_KEYS, 'interval');
      assert.equal(interval.interval, `${intervalS}s`);
      const actions = list(interval.then, 'then');
      assert.equal(actions.length, 1);
      const action = mapping(actions[0], 'the action');
      assert.deepEqual(Object.keys(action), ['http_request.post']);
      const post = mapping(action['http_request.post'], 'http_request.post');
      onlyKeys(post, HTTP_POST_KEYS, 'http_request.post');
      const headers = mapping(post.request_headers, 'request_headers') as Record<string, string>;
      assert.equal(headers.Authorization, `Bearer ${place.api_key}`);

      const packages = mapping(mapping(parse(include.text, { customTags: [includeTag] }), 'the include').packages, 'packages');
      assert.deepEqual(packages.power_monitor, { include: 'power-monitor.yaml' });

      const before = await acceptedHeartbeats(t);
      const response = await fetch(String(post.url), { method: 'POST', headers, body: String(post.body) });
      assert.equal(response.status, 200);
      assert.equal((await acceptedHeartbeats(t)) - before, 1);
    });
  }

  for (const intervalS of [10, 60]) {
    test(`Home Assistant (interval ${intervalS} s): a rest_command and a time_pattern automation that calls it`, async () => {
      const recipe = recipeFor('home-assistant', inputFor(t.url('/api/heartbeat'), place.api_key, { intervalS, deviceName: place.name }));
      const doc = mapping(parse(recipe.blocks[0]!.text, { strict: true, uniqueKeys: true }), 'configuration.yaml');
      const automationKey = Object.keys(doc).find((key) => key.startsWith('automation'));
      assert.ok(automationKey);
      assert.match(automationKey, /^automation [a-z_]+$/, 'a labelled automation key, beside the usual "automation: !include automations.yaml"');
      onlyKeys(doc, ['rest_command', automationKey], 'the snippet');

      const commands = mapping(doc.rest_command, 'rest_command');
      assert.deepEqual(Object.keys(commands), ['power_monitor_heartbeat']);
      assert.match(Object.keys(commands)[0]!, /^[a-z0-9_]+$/, 'a slug: the service is rest_command.<slug>');
      const command = mapping(commands.power_monitor_heartbeat, 'the rest command');
      onlyKeys(command, REST_COMMAND_KEYS, 'rest_command');
      assert.ok(['get', 'post', 'put', 'patch', 'delete'].includes(String(command.method)));
      assert.equal(typeof command.timeout, 'number');

      const automations = list(doc[automationKey], automationKey);
      assert.equal(automations.length, 1);
      const automation = mapping(automations[0], 'the automation');
      onlyKeys(automation, AUTOMATION_KEYS, 'automation');
      const trigger = mapping(list(automation.triggers, 'triggers')[0], 'the trigger');
      onlyKeys(trigger, TIME_PATTERN_KEYS, 'time_pattern');
      assert.equal(trigger.trigger, 'time_pattern');
      assert.equal(String(trigger.seconds), intervalS === 60 ? '0' : `/${intervalS}`);
      const action = mapping(list(automation.actions, 'actions')[0], 'the action');
      assert.equal(action.action, 'rest_command.power_monitor_heartbeat', 'the automation calls the command defined above');

      const before = await acceptedHeartbeats(t);
      const response = await fetch(String(command.url), {
        method: String(command.method).toUpperCase(),
        headers: { ...(command.headers as Record<string, string>), 'content-type': String(command.content_type) },
        body: String(command.payload),
      });
      assert.equal(response.status, 200);
      assert.equal((await acceptedHeartbeats(t)) - before, 1);
    });
  }
});
