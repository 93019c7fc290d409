import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandLineError, parseCommandLine } from '../../src/cli/command-line.js';

const spec = { valueOptions: ['timeout', 'channel', 'language'], flags: { help: 'h' } } as const;

test('negative numbers are values: channel ids as option values and as positionals', () => {
  assert.deepEqual(parseCommandLine(['add', 'Home', '--channel', '-1001234567890', '--timeout', '60'], spec), {
    positionals: ['add', 'Home'],
    values: { channel: '-1001234567890', timeout: '60' },
    flags: {},
  });
  assert.deepEqual(parseCommandLine(['channel', '1', '-100222'], spec), { positionals: ['channel', '1', '-100222'], values: {}, flags: {} });
  assert.deepEqual(parseCommandLine(['add', 'X', '--channel=-100111'], spec).values, { channel: '-100111' });
});

test('flags, "--" and names with spaces', () => {
  assert.deepEqual(parseCommandLine(['-h'], spec).flags, { help: true });
  assert.deepEqual(parseCommandLine(['--help'], spec).flags, { help: true });
  assert.deepEqual(parseCommandLine(['rename', '1', '--', '--odd name'], spec).positionals, ['rename', '1', '--odd name']);
});

test('mistakes are CommandLineErrors that say what is wrong', () => {
  assert.throws(() => parseCommandLine(['add', 'X', '--channel'], spec), (error: unknown) => error instanceof CommandLineError && /--channel needs a value/.test(error.message));
  assert.throws(() => parseCommandLine(['add', 'X', '--colour', 'red'], spec), (error: unknown) => error instanceof CommandLineError && /Unknown option --colour/.test(error.message));
  assert.throws(() => parseCommandLine(['list', '-x'], spec), (error: unknown) => error instanceof CommandLineError && /Unknown option -x/.test(error.message));
  assert.throws(() => parseCommandLine(['list', '--help=yes'], spec), (error: unknown) => error instanceof CommandLineError && /--help takes no value/.test(error.message));
  assert.throws(() => parseCommandLine(['add', 'X', '--timeout', '1', '--timeout', '2'], spec), (error: unknown) => error instanceof CommandLineError && /--timeout is given twice/.test(error.message));
});
