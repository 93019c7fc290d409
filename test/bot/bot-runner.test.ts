/**
 * When Telegram cannot be reached at start, the log names the real cause (connection refused, no
 * answer, name not resolved) — not grammY's "Aborted delay" — and never the token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { createBot } from '../../src/bot/bot.js';
import { BotRunner, describeNetworkFailure } from '../../src/bot/bot-runner.js';
import type { BotContext } from '../../src/bot/context.js';
import { asLocale, createI18n } from '../../src/i18n/translator.js';
import { capturedLogger, LEVEL } from '../support/captured-logger.js';

const TOKEN = '7000000002:AAFakeTokenForTheBotRunnerTest_0123456789';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startAgainst(apiRoot: string): Promise<{ line: Record<string, unknown>; output: string }> {
  const { logger, lines } = capturedLogger('debug');
  const i18n = createI18n<BotContext>({ localeNegotiator: (ctx) => asLocale(ctx.from?.language_code) });
  const bot = createBot({ token: TOKEN, apiRoot, i18n, logger, updates: { firstTime: () => true } });
  const runner = new BotRunner(bot, { token: TOKEN, publicUrl: undefined, logger, initTimeoutMs: 1_500 });
  try {
    await runner.start();
    assert.equal(runner.status, 'error');
  } finally {
    await runner.stop();
  }
  const line = lines.find((l) => /Telegram is not reachable/.test(l.msg));
  assert.ok(line, `logged: ${JSON.stringify(lines)}`);
  assert.equal(line.level, LEVEL.error);
  return { line, output: JSON.stringify(lines) };
}

test('connection refused is named, without the token', async () => {
  const { line, output } = await startAgainst(`http://127.0.0.1:${await closedPort()}`);
  assert.match(String(line.cause), /ECONNREFUSED/);
  assert.match(line.msg as string, /ECONNREFUSED/);
  assert.doesNotMatch(output, /Aborted delay/);
  assert.ok(!output.includes(TOKEN.split(':')[1]!), 'the token is not in the log');
});

test('a server that never answers is named as such', async () => {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const { line, output } = await startAgainst(`http://127.0.0.1:${(silent.address() as { port: number }).port}`);
    assert.match(String(line.cause), /no answer within 1\.5 s/);
    assert.doesNotMatch(output, /Aborted delay/);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('describeNetworkFailure walks grammY’s HttpError and error.cause down to the system error', () => {
  const system = Object.assign(new Error('getaddrinfo ENOTFOUND api.telegram.org'), { code: 'ENOTFOUND', syscall: 'getaddrinfo' });
  const fetchError = Object.assign(new Error(`request to https://api.telegram.org/bot${TOKEN}/getMe failed, reason: getaddrinfo ENOTFOUND api.telegram.org`), {
    code: 'ENOTFOUND',
    cause: system,
  });
  const httpError = Object.assign(new Error("Network request for 'getMe' failed!"), { name: 'HttpError', error: fetchError });
  const described = describeNetworkFailure(httpError, 10_000);
  assert.match(described, /ENOTFOUND/);
  assert.match(described, /api\.telegram\.org/);
  assert.ok(!described.includes(TOKEN), 'the token in the URL is never repeated');
  const undici = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ETIMEDOUT 149.154.167.220:443'), { code: 'ETIMEDOUT' }) });
  assert.match(describeNetworkFailure(undici, 10_000), /ETIMEDOUT/);
  assert.match(describeNetworkFailure(new Error('Aborted delay'), 10_000), /no answer within 10 s/);
});
