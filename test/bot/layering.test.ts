import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { repositoryPath } from '../support/repository.js';

const BOT = repositoryPath('src', 'bot');
const files = readdirSync(BOT, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
  .map((entry) => join(entry.parentPath, entry.name));

/** Lines of src/bot that match `pattern`, as "file:line: text". */
function linesMatching(pattern: RegExp, except: string[] = []): string[] {
  return files
    .filter((file) => !except.includes(relative(BOT, file)))
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ line, at: `${relative(BOT, file)}:${index + 1}` }))
        .filter(({ line }) => pattern.test(line))
        .map(({ line, at }) => `${at}: ${line.trim()}`),
    );
}

test('the bot reaches storage only through the services it is given: no SQL, no database handle', () => {
  assert.ok(files.length > 10, 'src/bot was found');
  const storage = /\b(selectFrom|insertInto|updateTable|deleteFrom|prepare)\(|\bsql`|\bstore\.(db|sqlite)\b|from 'kysely'|from 'better-sqlite3'|db\/connection\.js'/;
  assert.deepEqual(linesMatching(storage), []);
});

test('HTML is set once (parse-mode.ts), not at each call', () => {
  assert.deepEqual(linesMatching(/parse_mode\s*:/, ['parse-mode.ts']), []);
});
