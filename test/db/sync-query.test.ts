import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStore, type Store } from '../../src/db/connection.js';
import { queryBuilder, SyncQueries } from '../../src/db/sync-query.js';
import { tempDir } from '../support/temp-dir.js';

describe('synchronous Kysely queries', () => {
  const dir = tempDir('sync-query-');
  let store: Store;
  let queries: SyncQueries;

  before(async () => {
    store = await openStore(dir.file('monitor.db'));
    queries = new SyncQueries(store.sqlite);
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  test('built from the schema types, run on the better-sqlite3 handle', () => {
    const insert = (key: string, value: string) => queryBuilder.insertInto('service_state').values({ key, value });
    assert.deepEqual(queries.run(insert('a', '1')), { changes: 1, lastInsertRowid: 1 });
    queries.run(insert('b', '2'));
    const select = (key: string) => queryBuilder.selectFrom('service_state').select('value').where('key', '=', key);
    assert.deepEqual(queries.first(select('b')), { value: '2' });
    assert.equal(queries.first(select('c')), undefined);
    assert.deepEqual(queries.all(queryBuilder.selectFrom('service_state').selectAll().orderBy('key')), [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    assert.deepEqual(queries.all(queryBuilder.deleteFrom('service_state').where('key', '=', 'a').returning('value')), [{ value: '1' }]);
    assert.equal(queries.run(queryBuilder.updateTable('service_state').set({ value: '3' }).where('key', '=', 'zz')).changes, 0);
  });

  test('a transaction is all or nothing, and nests as a savepoint', () => {
    assert.throws(() =>
      queries.transaction(() => {
        queries.run(queryBuilder.insertInto('service_state').values({ key: 'x', value: '1' }));
        queries.transaction(() => queries.run(queryBuilder.insertInto('service_state').values({ key: 'y', value: '1' })));
        throw new Error('changed my mind');
      }),
    );
    assert.deepEqual(queries.all(queryBuilder.selectFrom('service_state').select('key').where('key', 'in', ['x', 'y'])), []);
  });

  test('the builder alone has no connection: executing on it fails instead of doing nothing', async () => {
    await assert.rejects(queryBuilder.selectFrom('service_state').selectAll().execute(), /only builds SQL: run its queries with SyncQueries/);
  });
});
