import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildRecipe, eventUrlFor, type Recipe, type RecipeInput, type RecipeKind } from '../../../src/devices/recipes/index.js';
import type { TestApp } from '../../support/test-app.js';

/** A recipe input for a device calling `heartbeatUrl` (the test service's, usually). */
export function inputFor(heartbeatUrl: string, key: string, overrides: Partial<RecipeInput> = {}): RecipeInput {
  return { heartbeatUrl, eventUrl: eventUrlFor(heartbeatUrl), key, intervalS: 10, timeoutS: 60, locale: 'uk', deviceName: 'Дім', ...overrides };
}

export function recipeFor(kind: RecipeKind, input: RecipeInput): Recipe {
  return buildRecipe(kind, input);
}

/** Heartbeats the service accepted so far, all routes (from /metrics). */
export async function acceptedHeartbeats(t: TestApp): Promise<number> {
  const text = await (await fetch(t.url('/metrics'))).text();
  let total = 0;
  for (const match of text.matchAll(/^heartbeats_received_total\{[^}]*\} (\d+)/gm)) total += Number(match[1]);
  return total;
}

/** Whether a program is on this machine (for tests that run a recipe's own tools). */
export function hasProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A stand-in for `/api/event` until the devices branch brings it: records each request and answers
 * as PROTOCOL.md says (`{"ok":true,"applied":true}`), or with the statuses queued in `failNext`.
 */
export async function startEventServer(): Promise<{ url: string; requests: RecordedRequest[]; failNext: number[]; close: () => Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const failNext: number[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      requests.push({ method: request.method ?? '', path: url.pathname, query: url.searchParams, headers: request.headers, body });
      const status = failNext.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(status === 200 ? JSON.stringify({ ok: true, applied: true }) : JSON.stringify({ error: 'storage_unavailable' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The key a request carried, the ways PROTOCOL.md allows (Bearer, X-Api-Key, ?key=). */
export function keyOf(request: RecordedRequest): string | undefined {
  const bearer = /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
  return bearer ?? (request.headers['x-api-key'] as string | undefined) ?? request.query.get('key') ?? undefined;
}
