import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { httpRequest } from '../support/http-client.js';
import { publishRelease, releaseManifest, TEST_IMAGE } from '../support/firmware-release.js';
import { repositoryPath } from '../support/repository.js';
import { capturedLogger, LEVEL } from '../support/captured-logger.js';

describe('browser flasher (/flash)', () => {
  const dir = tempDir();
  const firmware = dir.file('firmware');
  let t: TestApp;

  before(async () => {
    t = await startTestApp(dir.file('monitor.db'), { env: { FIRMWARE_DIR: firmware } });
  });
  after(async () => {
    await t.stop();
    dir.cleanup();
  });
  beforeEach(() => rmSync(firmware, { recursive: true, force: true }));

  const get = (path: string) => fetch(t.url(path));
  const page = async () => {
    const response = await get('/flash');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
    return { response, html: await response.text() };
  };

  test('without an image the page says so plainly, links to how to get one, and offers no install button', async () => {
    const { html, response } = await page();
    assert.match(html, /Образ прошивки ще не викладено на цей сервер/);
    assert.match(html, /The firmware image is not on this server yet/);
    assert.match(html, /href="#how-to-get"/);
    assert.match(html, /id="how-to-get"/);
    assert.doesNotMatch(html, /<esp-web-install-button/);
    assert.doesNotMatch(html, /<script/);
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const manifest = await get('/flash/manifest.json');
    assert.equal(manifest.status, 404);
    assert.deepEqual(((await manifest.json()) as { error: string }).error, 'firmware_missing');
    assert.equal((await get('/flash/firmware/power-monitor-esp32.bin')).status, 404);
  });

  test('with a release the page offers it, the manifest has ESP Web Tools shape and names files that are served', async () => {
    publishRelease(firmware);
    const { html } = await page();
    assert.match(html, /<esp-web-install-button manifest="\/flash\/manifest.json">/);
    assert.match(html, /<script type="module" src="\/flash\/esp-web-tools\/install-button.js"><\/script>/);
    assert.match(html, /Power Monitor 1\.1\.0/);
    assert.doesNotMatch(html, /ще не викладено/);
    // After flashing: Wi-Fi through Improv or the board's own access point, then the key from the bot.
    assert.match(html, /Improv/);
    assert.match(html, /http:\/\/192\.168\.4\.1/);
    assert.match(html, /ключ пристрою/);

    const response = await get('/flash/manifest.json');
    assert.equal(response.status, 200);
    const manifest = (await response.json()) as { name: string; version: string; builds: { chipFamily: string; parts: { path: string; offset: number }[] }[] };
    assert.deepEqual(manifest, {
      name: 'Power Monitor',
      version: '1.1.0',
      new_install_prompt_erase: true,
      new_install_improv_wait_time: 15,
      builds: [{ chipFamily: 'ESP32', parts: [{ path: 'firmware/power-monitor-esp32.bin', offset: 0 }] }],
    });
    // Parts resolve against the manifest's own URL, as ESP Web Tools resolves them.
    const part = new URL(manifest.builds[0]!.parts[0]!.path, t.url('/flash/manifest.json'));
    const image = await fetch(part);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'application/octet-stream');
    assert.deepEqual(Buffer.from(await image.arrayBuffer()), TEST_IMAGE);
  });

  test('the manifest the CI workflow writes into a release is one this service offers', async () => {
    const workflow = readFileSync(repositoryPath('.github', 'workflows', 'firmware.yml'), 'utf8');
    const block = /cat > release\/manifest\.json <<JSON\n([\s\S]*?)\n\s*JSON\n/.exec(workflow)?.[1];
    assert.ok(block, 'no manifest heredoc in .github/workflows/firmware.yml');
    const image = /^\s*IMAGE: (\S+)$/m.exec(workflow)?.[1];
    assert.equal(image, 'power-monitor-esp32.bin');
    const text = block.replaceAll('${{ steps.version.outputs.version }}', '1.2.3').replaceAll('$IMAGE', image);
    publishRelease(firmware, text);
    const response = await get('/flash/manifest.json');
    assert.equal(response.status, 200);
    const manifest = (await response.json()) as { version: string; builds: { chipFamily: string; parts: { path: string; offset: number }[] }[] };
    assert.equal(manifest.version, '1.2.3');
    assert.deepEqual(manifest.builds, [{ chipFamily: 'ESP32', parts: [{ path: 'firmware/power-monitor-esp32.bin', offset: 0 }] }]);
  });

  test('a new release dropped into the folder is offered without a restart', async () => {
    publishRelease(firmware, releaseManifest({ version: '1.1.0' }));
    assert.match((await page()).html, /1\.1\.0/);
    publishRelease(firmware, releaseManifest({ version: '1.2.0' }));
    assert.match((await page()).html, /1\.2\.0/);
    assert.equal(((await (await get('/flash/manifest.json')).json()) as { version: string }).version, '1.2.0');
  });

  test('a release that is incomplete or malformed is not offered', async () => {
    const broken: [string, unknown, Buffer | null][] = [
      ['image missing', releaseManifest(), null],
      ['image empty', releaseManifest(), Buffer.alloc(0)],
      ['not JSON', '{"name": "Power Monitor",', TEST_IMAGE],
      ['no builds', releaseManifest({ builds: [] }), TEST_IMAGE],
      ['no ESP32 build', releaseManifest({ builds: [{ chipFamily: 'ESP32-C3', parts: [{ path: 'power-monitor-esp32.bin', offset: 0 }] }] }), TEST_IMAGE],
      ['unknown chip', releaseManifest({ builds: [{ chipFamily: 'ESP31', parts: [{ path: 'power-monitor-esp32.bin', offset: 0 }] }] }), TEST_IMAGE],
      ['path outside the folder', releaseManifest({ builds: [{ chipFamily: 'ESP32', parts: [{ path: '../monitor.db', offset: 0 }] }] }), TEST_IMAGE],
      ['absolute path', releaseManifest({ builds: [{ chipFamily: 'ESP32', parts: [{ path: '/etc/passwd', offset: 0 }] }] }), TEST_IMAGE],
      ['negative offset', releaseManifest({ builds: [{ chipFamily: 'ESP32', parts: [{ path: 'power-monitor-esp32.bin', offset: -1 }] }] }), TEST_IMAGE],
      ['no version', releaseManifest({ version: '' }), TEST_IMAGE],
    ];
    for (const [why, manifest, image] of broken) {
      rmSync(firmware, { recursive: true, force: true });
      publishRelease(firmware, manifest, image);
      const { html } = await page();
      assert.match(html, /ще не викладено/, why);
      assert.doesNotMatch(html, /<esp-web-install-button/, why);
      assert.equal((await get('/flash/manifest.json')).status, 404, why);
      assert.equal((await get('/flash/firmware/power-monitor-esp32.bin')).status, 404, why);
    }
  });

  test('only the files the manifest names are served, and nothing outside the folder', async () => {
    publishRelease(firmware);
    writeFileSync(join(firmware, 'secret.txt'), 'not for download');
    for (const path of [
      '/flash/firmware/secret.txt',
      '/flash/firmware/manifest.json',
      '/flash/firmware/..%2Fmonitor.db',
      '/flash/firmware/%2E%2E%2Fmonitor.db',
      '/flash/firmware/',
    ]) {
      const answer = await httpRequest(t.url(path), { method: 'GET' });
      assert.equal(answer.status, 404, path);
      assert.doesNotMatch(answer.body, /not for download|SQLite/, path);
    }
  });

  test('ESP Web Tools is served by the service itself, only its own script files', async () => {
    const entry = await get('/flash/esp-web-tools/install-button.js');
    assert.equal(entry.status, 200);
    assert.match(entry.headers.get('content-type') ?? '', /^text\/javascript/);
    const source = await entry.text();
    assert.match(source, /esp-web-install-button/);
    // Its chunks are imported relative to it, so they must be here too.
    const chunks = [...source.matchAll(/import\("\.\/([^"]+)"\)/g)].map((match) => match[1]!);
    assert.ok(chunks.length > 0, 'install-button.js imports no chunks');
    for (const chunk of chunks) assert.equal((await get(`/flash/esp-web-tools/${chunk}`)).status, 200, chunk);
    for (const path of ['/flash/esp-web-tools/package.json', '/flash/esp-web-tools/..%2Fpackage.json', '/flash/esp-web-tools/nope.js']) {
      assert.equal((await httpRequest(t.url(path), { method: 'GET' })).status, 404, path);
    }
  });

  test('the page escapes what the manifest says and shows no device key', async () => {
    const place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
    publishRelease(firmware, releaseManifest({ name: '<img src=x onerror=alert(1)>', version: '1.0 "beta"' }));
    const { html } = await page();
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt; 1\.0 &quot;beta&quot;/);
    assert.doesNotMatch(html, /<img/);
    assert.ok(!html.includes(place.api_key));
  });
});

describe('browser flasher: what the operator is told', () => {
  test('why no release is offered is logged once per change, not on every view', async () => {
    const dir = tempDir();
    const firmware = dir.file('firmware');
    const { logger, lines } = capturedLogger('info');
    const t = await startTestApp(dir.file('monitor.db'), { env: { FIRMWARE_DIR: firmware }, logger });
    try {
      const flasherLines = () => lines.filter((line) => line.msg.startsWith('flasher:'));
      await (await fetch(t.url('/flash'))).text();
      await (await fetch(t.url('/flash'))).text();
      assert.equal(flasherLines().length, 1);
      assert.equal(flasherLines()[0]?.reason, 'no manifest.json in the firmware folder');
      publishRelease(firmware, releaseManifest(), null);
      await (await fetch(t.url('/flash/manifest.json'))).text();
      await (await fetch(t.url('/flash'))).text();
      assert.equal(flasherLines().length, 2);
      assert.equal(flasherLines()[1]?.level, LEVEL.warn);
      assert.equal(flasherLines()[1]?.reason, 'power-monitor-esp32.bin is named in manifest.json but missing');
      publishRelease(firmware);
      await (await fetch(t.url('/flash'))).text();
      assert.equal(flasherLines().length, 3);
      assert.equal(flasherLines()[2]?.level, LEVEL.info);
      assert.equal(flasherLines()[2]?.version, '1.1.0');
    } finally {
      await t.stop();
      dir.cleanup();
    }
  });
});
