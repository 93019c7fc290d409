import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startFakeBotApi } from './support/fake-bot-api.js';
import { tempDir } from './support/temp-dir.js';
import { repositoryPath } from './support/repository.js';

const main = repositoryPath('src', 'main.ts');

function runMain(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, output });
    });
  });
}

test('without BOT_TOKEN the service refuses to start and says where to get one', async () => {
  const dir = tempDir();
  try {
    const { code, output } = await runMain({ DATABASE_PATH: dir.file('monitor.db') });
    assert.equal(code, 2);
    assert.match(output, /BOT_TOKEN is not set/);
    assert.match(output, /@BotFather/);
  } finally {
    dir.cleanup();
  }
});

test('malformed settings are all listed at once, with what they should look like', async () => {
  const { code, output } = await runMain({ BOT_TOKEN: 'not-a-token', PORT: 'eighty', TIMEZONE: 'Mars/Base', OWNER_ID: 'me' });
  assert.equal(code, 2);
  assert.match(output, /BOT_TOKEN does not look like a bot token.*@BotFather/s);
  assert.match(output, /PORT must be a whole number/);
  assert.match(output, /TIMEZONE must be an IANA time zone/);
  assert.match(output, /OWNER_ID must be a numeric Telegram user id/);
  assert.doesNotMatch(output, /not-a-token/, 'the token value itself is not echoed');
});

test('a token Telegram rejects stops the start with a clear message', async () => {
  const dir = tempDir();
  const fake = await startFakeBotApi({ token: '111111:the-only-token-this-fake-accepts-xxxxxxxx' });
  try {
    const { code, output } = await runMain({
      DATABASE_PATH: dir.file('monitor.db'),
      BOT_TOKEN: '222222222:AAwrongTokenThatTelegramDoesNotKnow_xyz',
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
    assert.equal(code, 1);
    assert.match(output, /Telegram rejected BOT_TOKEN/);
    assert.doesNotMatch(output, /AAwrongTokenThatTelegramDoesNotKnow/, 'the token never reaches the output');
  } finally {
    await fake.close();
    dir.cleanup();
  }
});
