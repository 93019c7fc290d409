// The flasher page in a real headless Chromium (the system's: puppeteer-core downloads no
// browser). Skipped, with the reason, when no Chromium is installed; .ci/run installs one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants, rmSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { publishRelease, TEST_IMAGE } from '../support/firmware-release.js';

function findChromium(): string | undefined {
  const named = process.env.CHROMIUM_PATH;
  const candidates = [
    ...(named ? [named] : []),
    '/usr/lib/chromium/chromium', // Debian's binary behind the /usr/bin/chromium wrapper script
    ...['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'].flatMap((name) =>
      (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, name)),
    ),
  ];
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const chromium = findChromium();
const skip = chromium === undefined ? 'no Chromium installed (apt-get install chromium, or set CHROMIUM_PATH): the flasher page was not tried in a browser' : false;
if (skip) console.log(`# skipped: ${skip}`);

interface Visit {
  page: Page;
  requests: string[];
  errors: string[];
}

describe('browser flasher page in headless Chromium', { skip }, () => {
  const dir = tempDir();
  const firmware = dir.file('firmware');
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  before(async () => {
    t = await startTestApp(dir.file('monitor.db'), { env: { FIRMWARE_DIR: firmware } });
    origin = new URL(t.url('/')).origin;
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: [
        '--no-sandbox', // CI runs as root
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-default-apps',
        '--disable-sync',
        '--disable-domain-reliability',
        // Belt and braces: anything not on the loopback goes to a proxy that is not there.
        '--proxy-server=http://127.0.0.1:9',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    dir.cleanup();
  });

  /** Opens the page; every request is recorded, and any not to this service is refused. */
  async function visit(pathname: string): Promise<Visit> {
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      requests.push(request.url());
      if (new URL(request.url()).origin === origin) void request.continue();
      else void request.abort('blockedbyclient');
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const response = await page.goto(t.url(pathname), { waitUntil: 'networkidle0', timeout: 30_000 });
    assert.equal(response?.status(), 200);
    return { page, requests, errors };
  }

  function assertStayedLocal(requests: string[]): void {
    assert.ok(requests.length > 0);
    const outside = requests.filter((url) => !url.startsWith(`${origin}/`));
    assert.deepEqual(outside, [], 'the page asked for something outside this service');
  }

  test('with a release: renders, defines the install button, and its manifest names files that exist', { timeout: 120_000 }, async () => {
    rmSync(firmware, { recursive: true, force: true });
    publishRelease(firmware);
    const { page, requests, errors } = await visit('/flash');

    const heading = await page.$eval('h1', (element) => element.textContent ?? '');
    assert.match(heading, /Прошивка плати ESP32/);
    assert.match(heading, /Flash an ESP32 board/);

    // Browser-side code is passed as text: the project's TypeScript has no DOM types.
    await page.waitForFunction("customElements.get('esp-web-install-button') !== undefined", { timeout: 30_000 });
    const button = await page.evaluate(`(() => {
      const element = document.querySelector('esp-web-install-button');
      return {
        manifest: element.getAttribute('manifest'),
        upgraded: element instanceof customElements.get('esp-web-install-button'),
        rendered: element.shadowRoot !== null,
      };
    })()`);
    assert.deepEqual(button, { manifest: '/flash/manifest.json', upgraded: true, rendered: true });
    // Chromium has Web Serial and 127.0.0.1 is a secure context: the install button shows, not the apology.
    const shown = await page.$eval('esp-web-install-button', (element) => {
      const slot = element.shadowRoot?.querySelector('slot');
      return slot?.getAttribute('name') ?? null;
    });
    assert.equal(shown, 'activate');

    // The manifest as ESP Web Tools fetches it: from the page, relative to the page.
    const checked = (await page.evaluate(`(async () => {
      const manifestUrl = new URL(document.querySelector('esp-web-install-button').getAttribute('manifest'), location.href);
      const response = await fetch(manifestUrl);
      const manifest = await response.json();
      const parts = [];
      for (const build of manifest.builds) {
        for (const part of build.parts) {
          const file = await fetch(new URL(part.path, manifestUrl));
          parts.push({ chipFamily: build.chipFamily, offset: part.offset, status: file.status, bytes: (await file.arrayBuffer()).byteLength });
        }
      }
      return { status: response.status, type: response.headers.get('content-type'), name: manifest.name, version: manifest.version, parts };
    })()`)) as { status: number; type: string | null; name: unknown; version: unknown; parts: unknown[] };
    assert.equal(checked.status, 200);
    assert.match(checked.type ?? '', /^application\/json/);
    assert.equal(typeof checked.name, 'string');
    assert.equal(typeof checked.version, 'string');
    assert.deepEqual(checked.parts, [{ chipFamily: 'ESP32', offset: 0, status: 200, bytes: TEST_IMAGE.length }]);

    assert.deepEqual(errors, []);
    assertStayedLocal(requests);
    assert.ok(requests.some((url) => url.endsWith('/flash/esp-web-tools/install-button.js')));
    await page.close();
  });

  test('without a release: renders the plain notice, with no install button and no script', { timeout: 60_000 }, async () => {
    rmSync(firmware, { recursive: true, force: true });
    const { page, requests, errors } = await visit('/flash');
    const text = await page.$eval('body', (element) => element.innerText);
    assert.match(text, /Образ прошивки ще не викладено на цей сервер/);
    assert.match(text, /The firmware image is not on this server yet/);
    assert.equal(await page.$('esp-web-install-button'), null);
    assert.equal(await page.evaluate("customElements.get('esp-web-install-button') === undefined"), true);
    const link = await page.evaluate(`document.querySelector('a[href="#how-to-get"]').href`);
    assert.equal(link, t.url('/flash#how-to-get'));
    assert.deepEqual(errors, []);
    assertStayedLocal(requests);
    assert.deepEqual(requests, [t.url('/flash')]);
    await page.close();
  });
});
