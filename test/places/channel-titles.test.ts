import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../../src/db/connection.js';
import { openTestStore } from '../support/test-store.js';
import { channelLabel, ChannelTitleStore } from '../../src/places/channel-titles.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { tempDir } from '../support/temp-dir.js';

const i18n = createI18n();
const uk = translatorFor(i18n, 'uk');
const en = translatorFor(i18n, 'en');

describe('channel titles', () => {
  const dir = tempDir('monitor-channel-titles-');
  let store: Store;
  let titles: ChannelTitleStore;
  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
    titles = new ChannelTitleStore(store.connection);
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  test('keeps the last title per chat, with when it was confirmed', () => {
    assert.equal(titles.titleOf('-1001'), null);
    titles.remember('-1001', 'Світло: Дача', 1000);
    titles.remember('@office_power', 'Офіс', 1000);
    titles.remember('-1001', '  Світло на дачі ', 2000);
    assert.deepEqual(titles.get('-1001'), { chat_id: '-1001', title: 'Світло на дачі', updated_at: 2000 });
    assert.equal(titles.titleOf('@office_power'), 'Офіс');
  });

  test('an empty title says nothing and changes nothing', () => {
    titles.remember('-1001', '   ', 3000);
    assert.deepEqual(titles.get('-1001'), { chat_id: '-1001', title: 'Світло на дачі', updated_at: 2000 });
  });

  test('a channel is named by its title in the language’s quotes, escaped; else by its id', () => {
    assert.equal(channelLabel('-1001', 'Світло <Дача> & Co', uk), '«Світло &lt;Дача&gt; &amp; Co»');
    assert.equal(channelLabel('-1001', 'Power', en), '“Power”');
    assert.equal(channelLabel('-1001', null, en), '-1001');
    assert.equal(channelLabel('@a<b', undefined, uk), '@a&lt;b');
  });
});
