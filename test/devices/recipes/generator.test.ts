import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildRecipe, eventUrlFor, RECIPE_KINDS, recipeLabel, recipeMode, type RecipeKind } from '../../../src/devices/recipes/index.js';
import { reachOf } from '../../../src/devices/recipes/reachability.js';
import { inputFor, keyOf, startEventServer } from './recipe-support.js';

const KEY = 'AbCdEfGhIjKlMnOpQrStUvWx12345678';
const PUBLIC = 'https://svitlo.example.com/api/heartbeat';

describe('the recipe generator', () => {
  test('every kind builds in both languages, with the key and the URL in it and nothing left unfilled', () => {
    for (const kind of RECIPE_KINDS) {
      const texts = new Map<string, string>();
      for (const locale of ['uk', 'en'] as const) {
        const recipe = buildRecipe(kind, inputFor(PUBLIC, KEY, { locale }));
        assert.equal(recipe.kind, kind);
        assert.ok(recipe.title.length > 0 && recipe.whereToPaste.length > 0);
        assert.ok(!recipe.whereToPaste.includes('\n'), `${kind}: where to paste is one line`);
        assert.ok(recipe.blocks.length > 0);
        const all = [recipe.title, recipe.whereToPaste, ...recipe.steps, ...recipe.warnings, ...recipe.blocks.flatMap((block) => [block.caption, block.text])].join('\n');
        assert.ok(all.includes(KEY), `${kind}: the key is in the recipe`);
        assert.ok(all.includes(recipeMode(kind) === 'event' ? 'https://svitlo.example.com/api/event' : 'https://svitlo.example.com/api/heartbeat'), `${kind}: the URL is in the recipe`);
        assert.doesNotMatch(all, /undefined|NaN|\[object /, `${kind}: nothing unfilled`);
        texts.set(locale, [recipe.whereToPaste, ...recipe.steps].join('\n'));
      }
      assert.notEqual(texts.get('uk'), texts.get('en'), `${kind}: the words are translated`);
      assert.match(texts.get('uk') ?? '', /[а-яіїєґ]/i, `${kind}: Ukrainian words in Ukrainian`);
      assert.ok(recipeLabel(kind, 'uk').length > 0 && recipeLabel(kind, 'en').length > 0);
    }
  });

  test('the event URL sits beside the heartbeat URL', () => {
    assert.equal(eventUrlFor('https://a.example/api/heartbeat'), 'https://a.example/api/event');
    assert.equal(eventUrlFor('http://<this-server>:3000/api/heartbeat'), 'http://<this-server>:3000/api/event');
  });

  test('addresses a device cannot reach are named, and so are private ones', () => {
    assert.equal(reachOf('http://localhost:3000/api/heartbeat'), 'loopback');
    assert.equal(reachOf('http://127.0.0.1:3000/api/heartbeat'), 'loopback');
    assert.equal(reachOf('http://127.5.6.7/api/heartbeat'), 'loopback');
    assert.equal(reachOf('http://[::1]:3000/api/heartbeat'), 'loopback');
    assert.equal(reachOf('http://0.0.0.0:3000/api/heartbeat'), 'loopback');
    assert.equal(reachOf('http://192.168.1.10:3000/api/heartbeat'), 'private');
    assert.equal(reachOf('http://10.0.0.2/api/heartbeat'), 'private');
    assert.equal(reachOf('http://172.20.1.1/api/heartbeat'), 'private');
    assert.equal(reachOf('http://172.32.1.1/api/heartbeat'), 'public');
    assert.equal(reachOf('http://[fd12::1]/api/heartbeat'), 'private');
    assert.equal(reachOf('http://nas.local/api/heartbeat'), 'private');
    assert.equal(reachOf('http://server/api/heartbeat'), 'private');
    assert.equal(reachOf('http://<this-server>:3000/api/heartbeat'), 'unknown');
    assert.equal(reachOf(PUBLIC), 'public');

    const local = buildRecipe('shelly', inputFor('http://127.0.0.1:3000/api/heartbeat', KEY));
    assert.ok(local.warnings.some((warning) => /localhost \/ 127\.x/.test(warning)));
    const unknown = buildRecipe('openwrt', inputFor('http://<this-server>:3000/api/heartbeat', KEY, { locale: 'en' }));
    assert.ok(unknown.warnings.some((warning) => /PUBLIC_URL is not set/.test(warning)));
    const lan = buildRecipe('iphone', inputFor('http://192.168.1.5:3000/api/heartbeat', KEY, { locale: 'en' }));
    assert.ok(lan.warnings.some((warning) => /private network/.test(warning)));
    const plain = buildRecipe('linux', inputFor('http://svitlo.example.com/api/heartbeat', KEY, { locale: 'en' }));
    assert.ok(plain.warnings.some((warning) => /not HTTPS/.test(warning)));
    assert.ok(!buildRecipe('linux', inputFor(PUBLIC, KEY)).warnings.some((warning) => /HTTPS|localhost|приватн/.test(warning)), 'no URL warning for a public https address');
  });

  test('a router, a Linux box or a Home Assistant on a UPS proves the internet, not the power: those recipes say so', () => {
    for (const kind of ['openwrt', 'keenetic', 'mikrotik', 'linux', 'home-assistant'] as RecipeKind[]) {
      for (const locale of ['uk', 'en'] as const) {
        const recipe = buildRecipe(kind, inputFor(PUBLIC, KEY, { locale }));
        assert.ok(
          recipe.warnings.some((warning) => (locale === 'uk' ? /інтернет, а не світло/ : /the internet, not the power/).test(warning)),
          `${kind} (${locale}) warns about a UPS`,
        );
      }
    }
    assert.ok(!buildRecipe('shelly', inputFor(PUBLIC, KEY)).warnings.some((warning) => /ДБЖ/.test(warning)), 'a Shelly runs on the mains');
  });

  test('cron recipes say cron is per minute and loop to keep the interval', () => {
    const recipe = buildRecipe('openwrt', inputFor(PUBLIC, KEY, { intervalS: 15, locale: 'en' }));
    assert.ok(recipe.steps.some((step) => /once a minute/.test(step) && /every 15 s/.test(step) && /timeout of 3 min/.test(step)));
    const minute = buildRecipe('openwrt', inputFor(PUBLIC, KEY, { intervalS: 60, timeoutS: 600, locale: 'en' }));
    assert.ok(minute.steps.includes('Cron makes the call once a minute.'));
    assert.doesNotMatch(minute.blocks[0]!.text, /for i in|sleep/, 'no loop when once a minute is enough');
    assert.match(recipe.blocks[0]!.text, /for i in 1 2 3 4; do .* & sleep 15; done/);
    // An interval that does not divide a minute is rounded down to one that does.
    assert.match(buildRecipe('keenetic', inputFor(PUBLIC, KEY, { intervalS: 13 })).blocks[0]!.text, /for i in 1 2 3 4 5; do .* & sleep 12; done/);
  });

  test('a name with quotes, line breaks or EOF cannot break out of a comment, a string or a heredoc', () => {
    const name = 'Дім "1"\nEOF\n$(reboot) `x` 100%';
    for (const kind of RECIPE_KINDS) {
      const recipe = buildRecipe(kind, inputFor(PUBLIC, KEY, { deviceName: name }));
      for (const block of recipe.blocks) {
        const lines = block.text.split('\n');
        assert.equal(lines.filter((line) => line === 'EOF').length, (block.text.match(/<<'EOF'/g) ?? []).length, `${kind}: EOF only where a heredoc ends`);
        assert.ok(!lines.some((line) => line.startsWith('$(reboot)')), `${kind}: the name stays on its comment line`);
      }
    }
  });

  test('ESP32: config.h as the bot always sent it, and the browser flasher at the same origin', () => {
    const recipe = buildRecipe('esp32', inputFor(PUBLIC, KEY, { intervalS: 10, timeoutS: 60 }));
    const header = recipe.blocks[0]!;
    assert.equal(header.fileName, 'config.h');
    assert.match(header.text, /#define SERVER_URL "https:\/\/svitlo\.example\.com\/api\/heartbeat"/);
    assert.match(header.text, new RegExp(`#define DEVICE_KEY "${KEY}"`));
    assert.match(header.text, /#define HEARTBEAT_INTERVAL_S 10/);
    assert.ok(recipe.steps.some((step) => step.includes('https://svitlo.example.com/flash')));
  });

  test('input no device could use is refused', () => {
    assert.throws(() => buildRecipe('shelly', inputFor(PUBLIC, 'short')), RangeError);
    assert.throws(() => buildRecipe('shelly', inputFor(PUBLIC, `${KEY}"; reboot`)), RangeError);
    assert.throws(() => buildRecipe('shelly', inputFor(PUBLIC, KEY, { intervalS: 0 })), RangeError);
    assert.throws(() => buildRecipe('shelly', inputFor('ftp://x/api/heartbeat', KEY)), RangeError);
  });
});

describe('phone recipes (iPhone, MacroDroid, Tasker): the two URLs they open reach /api/event as PROTOCOL.md says', () => {
  let events: Awaited<ReturnType<typeof startEventServer>>;
  before(async () => {
    events = await startEventServer();
  });
  after(() => events.close());

  for (const kind of ['iphone', 'macrodroid', 'tasker'] as const) {
    test(kind, async () => {
      events.requests.length = 0;
      const recipe = buildRecipe(kind, inputFor(`${events.url}/api/heartbeat`, KEY));
      assert.equal(recipe.blocks.length, 2);
      const [on, off] = recipe.blocks;
      assert.match(on!.caption, /🟢/);
      assert.match(off!.caption, /🔴/);
      assert.ok(recipe.steps.some((step) => step.includes('🟢')) && recipe.steps.some((step) => step.includes('🔴')), 'the steps point at the two blocks');
      assert.ok(recipe.warnings.some((warning) => /зарядк/.test(warning)), 'it warns that every unplug counts');
      for (const block of [on!, off!]) {
        // The apps open it as a plain GET, the URL as pasted.
        const response = await fetch(block.text);
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { ok: true, applied: true });
      }
      assert.deepEqual(
        events.requests.map((request) => [request.method, request.path, keyOf(request), request.query.get('mains'), [...request.query.keys()].sort().join(',')]),
        [
          ['GET', '/api/event', KEY, 'on', 'key,mains'],
          ['GET', '/api/event', KEY, 'off', 'key,mains'],
        ],
      );
    });
  }
});
