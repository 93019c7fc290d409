import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Compilable } from 'kysely';
import type { Store } from '../../src/db/connection.js';
import { openTestStore } from '../support/test-store.js';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder, transaction } from '../../src/db/sync-query.js';
import { tempDir } from '../support/temp-dir.js';

describe('synchronous Kysely queries', () => {
  const dir = tempDir('sync-query-');
  let store: Store;

  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  test('built from the schema types, run on the stores’ synchronous connection', () => {
    const queries = oneOff(store);
    const insert = (key: string, value: string) => queryBuilder.insertInto('service_state').values({ key, value });
    assert.deepEqual(queries.run(insert('a', '1')), { changes: 1 });
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
    const queries = oneOff(store);
    assert.throws(() =>
      transaction(store.connection, () => {
        queries.run(queryBuilder.insertInto('service_state').values({ key: 'x', value: '1' }));
        transaction(store.connection, () => queries.run(queryBuilder.insertInto('service_state').values({ key: 'y', value: '1' })));
        throw new Error('changed my mind');
      }),
    );
    assert.deepEqual(queries.all(queryBuilder.selectFrom('service_state').select('key').where('key', 'in', ['x', 'y'])), []);
  });

  test('the builder alone has no connection: executing on it fails instead of doing nothing', async () => {
    await assert.rejects(queryBuilder.selectFrom('service_state').selectAll().execute(), /only builds SQL: run its queries with prepareStatement or prepareQuery/);
  });
});

/** Each query compiled and run once (prepareQuery), as a store does with a shape known only at run time. */
function oneOff(store: Store) {
  return {
    run: (query: Compilable<unknown>) => prepareQuery(store.connection, query).run(),
    first: <Row>(query: Compilable<Row>) => prepareQuery(store.connection, query).get(),
    all: <Row>(query: Compilable<Row>) => prepareQuery(store.connection, query).all(),
  };
}
