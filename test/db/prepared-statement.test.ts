import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../../src/db/connection.js';
import { openTestStore } from '../support/test-store.js';
import { prepareStatement } from '../../src/db/prepared-statement.js';
import { statementPlan } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import { tempDir } from '../support/temp-dir.js';

describe('prepared statements from the typed schema', () => {
  const dir = tempDir('prepared-statement-');
  let store: Store;

  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  const upsert = statementPlan((p: { key: string; value: string }) =>
    queryBuilder
      .insertInto('service_state')
      .values({ key: p.key, value: p.value })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
  );
  const byPrefix = statementPlan((p: { from: string; to: string; limit: number }) =>
    queryBuilder.selectFrom('service_state').select(['key', 'value']).where('key', '>=', p.from).where('key', '<', p.to).orderBy('key').limit(p.limit),
  );

  test('compiles once into SQL with a binding per parameter: a slot by name, or a constant', () => {
    const plan = statementPlan((p: { id: number }) =>
      queryBuilder.updateTable('locations').set({ paused: 1, alerting_error: null }).where('id', '=', p.id).where((eb) => eb('paused', '=', eb.lit(0))),
    );
    assert.equal(plan.sql, 'update "locations" set "paused" = ?, "alerting_error" = ? where "id" = ? and "paused" = 0');
    assert.deepEqual(plan.bindings, [{ value: 1 }, { value: null }, { slot: 'id' }]);
    assert.deepEqual(structuredClone(plan), plan, 'plain data: a worker can be handed it');
  });

  test('runs with values bound by name, as often as wanted', () => {
    const write = prepareStatement(store.connection, upsert);
    assert.deepEqual(write.run({ key: 'a:1', value: 'one' }), { changes: 1 });
    write.run({ key: 'a:2', value: 'two' });
    write.run({ key: 'b:1', value: 'other' });
    write.run({ key: 'a:1', value: 'uno' });
    const read = prepareStatement(store.connection, byPrefix);
    assert.deepEqual(read.all({ from: 'a:', to: 'a;', limit: 10 }), [
      { key: 'a:1', value: 'uno' },
      { key: 'a:2', value: 'two' },
    ]);
    assert.deepEqual(read.get({ from: 'a:', to: 'a;', limit: 10 }), { key: 'a:1', value: 'uno' });
    assert.deepEqual(read.all({ from: 'b:', to: 'b;', limit: 1 }), [{ key: 'b:1', value: 'other' }]);
    assert.equal(read.get({ from: 'c:', to: 'c;', limit: 1 }), undefined);
  });

  test('a slot used twice binds the same value in both places', () => {
    const plan = statementPlan((p: { key: string }) => queryBuilder.selectFrom('service_state').select('value').where('key', '>=', p.key).where('key', '<=', p.key));
    assert.deepEqual(plan.bindings, [{ slot: 'key' }, { slot: 'key' }]);
    assert.deepEqual(prepareStatement(store.connection, plan).get({ key: 'a:2' }), { value: 'two' });
  });

  test('a slot given no value is refused, not bound as NULL', () => {
    const read = prepareStatement(store.connection, byPrefix);
    assert.throws(() => read.all({ from: 'a:', to: 'a;' } as never), /slot "limit" was given no value/);
  });

  test('a statement is prepared when first run: a read-only connection can hold writes it never runs', () => {
    const broken = prepareStatement(store.connection, { sql: 'this is not sql', bindings: [], postgres: { sql: 'this is not sql', bindings: [] } });
    assert.throws(() => broken.get(), /syntax error/);
  });
});
