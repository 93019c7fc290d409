import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskPostgresUrl, parsePostgresUrl, PostgresUrlError, withoutPassword } from '../../src/db/postgres-url.js';

const PASSWORD = 'p%40ss-w0rd';

test('a PostgreSQL url is taken as it is, postgres:// or postgresql://, a socket folder as ?host=', () => {
  assert.equal(parsePostgresUrl(`postgres://monitor:${PASSWORD}@db.internal:5432/monitor`, 'DATABASE_URL').hostname, 'db.internal');
  assert.equal(parsePostgresUrl('postgresql://monitor@localhost/monitor?sslmode=require', 'DATABASE_URL').pathname, '/monitor');
  assert.equal(parsePostgresUrl('postgres:///monitor?host=/var/run/postgresql', 'DATABASE_URL').searchParams.get('host'), '/var/run/postgresql');
});

test('anything else is refused with the shape it must have, never with the password', () => {
  const cases: [string, RegExp][] = [
    [`mysql://root:${PASSWORD}@db/monitor`, /^DATABASE_URL must be a PostgreSQL url \(postgres:\/\/user:password@host:5432\/database\), not mysql:\/\/root:\*\*\*@db\/monitor$/],
    [`postgres root:${PASSWORD}@db`, /^DATABASE_URL is not a url; it must look like postgres:\/\/user:password@host:5432\/database$/],
    [`postgres://root:${PASSWORD}@db`, /^DATABASE_URL names no database: postgres:\/\/root:\*\*\*@db/],
    ['postgres:///monitor', /^DATABASE_URL names no host: postgres:\/\/\/monitor/],
    ['', /^DATABASE_URL is not a url/],
  ];
  for (const [text, says] of cases) {
    assert.throws(
      () => parsePostgresUrl(text, 'DATABASE_URL'),
      (error: unknown) => error instanceof PostgresUrlError && says.test(error.message) && !error.message.includes('w0rd'),
      text,
    );
  }
});

test('shown masked; a message that quotes the password (either spelling) has it replaced', () => {
  const text = `postgres://monitor:${PASSWORD}@db:5432/monitor`;
  assert.equal(maskPostgresUrl(text), 'postgres://monitor:***@db:5432/monitor');
  assert.equal(maskPostgresUrl('postgres://monitor@db/monitor'), 'postgres://monitor@db/monitor');
  assert.equal(maskPostgresUrl('not a url'), '(not a url)');
  const url = parsePostgresUrl(text, 'DATABASE_URL');
  assert.equal(withoutPassword('tried p@ss-w0rd and p%40ss-w0rd', url), 'tried *** and ***');
});
