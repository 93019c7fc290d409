import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
  ESP32_CONFIG_KEYS,
  cStringLiteral,
  heartbeatIntervalFor,
  renderEsp32ConfigHeader,
  type Esp32ConfigInput,
} from '../../src/devices/esp32-config.js';
import { REPOSITORY_ROOT } from '../support/repository.js';

const repoRoot = REPOSITORY_ROOT;
const examplePath = path.join(repoRoot, 'firmware', 'config.h.example');
const exampleText = readFileSync(examplePath, 'utf8');

const exampleInput: Esp32ConfigInput = {
  placeName: 'Home',
  serverUrl: 'https://monitor.example.com/api/heartbeat',
  deviceKey: 'paste-the-key-from-the-bot',
  heartbeatIntervalS: 10,
  timeoutS: 60,
};

function definedKeys(header: string): string[] {
  return [...header.matchAll(/^#define\s+([A-Z0-9_]+)\s/gm)].map((match) => match[1] ?? '');
}

function defineValue(header: string, key: string): string {
  const line = header.split('\n').find((candidate) => candidate.startsWith(`#define ${key} `));
  assert.ok(line, `no #define ${key} in:\n${header}`);
  return line.slice(`#define ${key} `.length);
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

describe('ESP32 config.h', () => {
  test('has exactly the #define keys of firmware/config.h.example, in the same order', () => {
    const exampleKeys = definedKeys(exampleText);
    assert.ok(exampleKeys.length > 0, 'config.h.example defines nothing');
    assert.deepEqual(definedKeys(renderEsp32ConfigHeader(exampleInput)), exampleKeys);
    assert.deepEqual([...ESP32_CONFIG_KEYS], exampleKeys);
  });

  test('rendering the example values reproduces config.h.example byte for byte', () => {
    assert.equal(renderEsp32ConfigHeader(exampleInput), exampleText);
  });

  test('carries the place, the URL, the key and the timings', () => {
    const header = renderEsp32ConfigHeader({
      placeName: 'Дача',
      serverUrl: 'https://power.example.org/api/heartbeat',
      deviceKey: 'k3y_-AbC',
      heartbeatIntervalS: 20,
      timeoutS: 120,
    });
    assert.match(header, /^\/\/ Place: Дача$/m);
    assert.equal(defineValue(header, 'SERVER_URL'), '"https://power.example.org/api/heartbeat"');
    assert.equal(defineValue(header, 'DEVICE_KEY'), '"k3y_-AbC"');
    assert.equal(defineValue(header, 'HEARTBEAT_INTERVAL_S'), '20');
    assert.equal(defineValue(header, 'LOCATION_TIMEOUT_S'), '120');
    assert.equal(defineValue(header, 'WIFI_SSID'), '"your-wifi-name"');
    assert.equal(defineValue(header, 'WIFI_PASSWORD'), '"your-wifi-password"');
  });

  test('escapes values as C string literals', () => {
    assert.equal(cStringLiteral('plain'), '"plain"');
    assert.equal(cStringLiteral('say "hi"'), '"say \\"hi\\""');
    assert.equal(cStringLiteral('C:\\dir\\'), '"C:\\\\dir\\\\"');
    assert.equal(cStringLiteral('a\nb\rc\td'), '"a\\nb\\rc\\td"');
    assert.equal(cStringLiteral('\u0001x\u001f\u007f'), '"\\001x\\037\\177"');
    // Octal, not \x: "\x01" followed by "ab" would read as the single char \x1ab.
    assert.equal(cStringLiteral('\u0001ab'), '"\\001ab"');
    assert.equal(cStringLiteral('what??=no'), '"what?\\?=no"');
    assert.equal(cStringLiteral('Київ ☀'), '"Київ ☀"');
    assert.equal(cStringLiteral(''), '""');
  });

  test('a hostile URL or key stays inside its string literal', () => {
    const header = renderEsp32ConfigHeader({
      ...exampleInput,
      serverUrl: 'https://x.example/"\n#define DEVICE_KEY "stolen',
      deviceKey: 'key\\"; system("rm"); //',
    });
    assert.deepEqual(definedKeys(header), [...ESP32_CONFIG_KEYS]);
    assert.equal(header.split('\n').length, exampleText.split('\n').length);
    assert.equal(defineValue(header, 'SERVER_URL'), '"https://x.example/\\"\\n#define DEVICE_KEY \\"stolen"');
    assert.equal(defineValue(header, 'DEVICE_KEY'), '"key\\\\\\"; system(\\"rm\\"); //"');
  });

  test('the place name stays on its comment line', () => {
    const render = (placeName: string) => renderEsp32ConfigHeader({ ...exampleInput, placeName });
    const lineCount = exampleText.split('\n').length;
    for (const name of ['Home\n#define WIFI_SSID "evil"', 'Dacha\r\nline 2', 'a\u2028b\u0085c', 'tab\there']) {
      const header = render(name);
      assert.equal(header.split('\n').length, lineCount, JSON.stringify(name));
      assert.deepEqual(definedKeys(header), [...ESP32_CONFIG_KEYS]);
    }
    assert.match(render('Home\n#define X 1'), /^\/\/ Place: Home #define X 1$/m);
    assert.match(render('  Office \r\n  2nd floor  '), /^\/\/ Place: Office 2nd floor$/m);
    // A trailing backslash would splice the next line into the comment.
    assert.match(render('Garage \\'), /^\/\/ Place: Garage$/m);
    assert.match(render('Garage\\\\ \\ '), /^\/\/ Place: Garage$/m);
    assert.match(render('\n\n'), /^\/\/ Place: \(unnamed\)$/m);
    assert.match(render('<b>Shop</b> & "Co"'), /^\/\/ Place: <b>Shop<\/b> & "Co"$/m);
  });

  test('refuses timings that are not positive whole seconds', () => {
    for (const bad of [0, -10, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => renderEsp32ConfigHeader({ ...exampleInput, heartbeatIntervalS: bad }), RangeError);
      assert.throws(() => renderEsp32ConfigHeader({ ...exampleInput, timeoutS: bad }), RangeError);
    }
  });

  test(
    'a C++ compiler reads back exactly the values that went in',
    { skip: onPath('g++') ? false : 'g++ is not on PATH' },
    () => {
      const input: Esp32ConfigInput = {
        placeName: 'Test\nplace \\',
        serverUrl: 'https://h.example/a?b="c"&d=\\e??=f',
        deviceKey: 'line1\nline2\ttab\u0001\u00017 "quoted" Ключ',
        heartbeatIntervalS: 7,
        timeoutS: 42,
      };
      const dir = mkdtempSync(path.join(tmpdir(), 'esp32-config-'));
      try {
        writeFileSync(path.join(dir, 'config.h'), renderEsp32ConfigHeader(input));
        writeFileSync(
          path.join(dir, 'main.cpp'),
          [
            '#include <cstdio>',
            '#include "config.h"',
            'int main() {',
            '  std::fputs(SERVER_URL, stdout); std::fputc(0, stdout);',
            '  std::fputs(DEVICE_KEY, stdout); std::fputc(0, stdout);',
            '  std::printf("%d", HEARTBEAT_INTERVAL_S); std::fputc(0, stdout);',
            '  std::printf("%d", LOCATION_TIMEOUT_S); std::fputc(0, stdout);',
            '  std::fputs(WIFI_SSID, stdout);',
            '}',
            '',
          ].join('\n'),
        );
        const exe = path.join(dir, 'read-config');
        const build = spawnSync('g++', ['-std=c++17', '-Wall', '-Werror', '-o', exe, path.join(dir, 'main.cpp')], {
          encoding: 'utf8',
        });
        assert.equal(build.status, 0, build.stderr);
        const run = spawnSync(exe, { encoding: 'utf8' });
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.stdout.split('\0'), [input.serverUrl, input.deviceKey, '7', '42', 'your-wifi-name']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('heartbeatIntervalFor', () => {
  test('is a sixth of the timeout, rounded', () => {
    assert.equal(heartbeatIntervalFor(60), 10);
    assert.equal(heartbeatIntervalFor(120), 20);
    assert.equal(heartbeatIntervalFor(33), 6); // 5.5 rounds up
    assert.equal(heartbeatIntervalFor(40), 7); // 6.67
    assert.equal(heartbeatIntervalFor(200), 33);
  });

  test('never goes below 5 s', () => {
    assert.equal(heartbeatIntervalFor(30), 5);
    assert.equal(heartbeatIntervalFor(27), 5);
    assert.equal(heartbeatIntervalFor(10), 5);
    assert.equal(heartbeatIntervalFor(0), 5);
    assert.equal(heartbeatIntervalFor(-60), 5);
  });

  test('never goes above 60 s', () => {
    assert.equal(heartbeatIntervalFor(360), 60);
    assert.equal(heartbeatIntervalFor(363), 60);
    assert.equal(heartbeatIntervalFor(3600), 60);
    assert.equal(heartbeatIntervalFor(86_400), 60);
  });

  test('rejects a timeout that is not a number', () => {
    assert.throws(() => heartbeatIntervalFor(Number.NaN), RangeError);
    assert.throws(() => heartbeatIntervalFor(Number.POSITIVE_INFINITY), RangeError);
  });
});
