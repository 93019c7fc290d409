import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Place } from '../../../src/places/place-service.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { tempDir } from '../../support/temp-dir.js';
import { acceptedHeartbeats, inputFor, recipeFor } from './recipe-support.js';

/** What a checked recipe would send: the request, to be made for real against the service. */
interface Call {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

async function send(call: Call): Promise<number> {
  const response = await fetch(call.url, { method: call.method, headers: call.headers, body: call.body });
  await response.arrayBuffer();
  return response.status;
}

// ---- Tasmota Berry: the statements the recipe may use, each checked by its shape. ----

const BERRY_STRING = '"(?:[^"\\\\]|\\\\.)*"';
const berryString = (literal: string): string => JSON.parse(literal) as string;

/**
 * Reads autoexec.be line by line against the few statement forms the recipe is made of (Berry:
 * `var`, `def … end`, `if … end`, webclient `begin` / `add_header` / `POST` / `GET` / `close`,
 * `tasmota.remove_cron` / `tasmota.add_cron(pattern, fn, id)`); anything else is a typo. Returns
 * the request the cron function makes and the cron pattern.
 */
function readBerry(source: string): { call: Call; cron: string; cronFunction: string; cronId: string; removedId: string } {
  const vars = new Map<string, string>();
  const functions = new Set<string>();
  const blocks: string[] = [];
  const call: Partial<Call> & { headers: Record<string, string> } = { headers: {} };
  let cron: { pattern: string; fn: string; id: string } | undefined;
  let removedId = '';
  const value = (expression: string): string => {
    // A string literal, a variable, or a concatenation of those.
    return expression.split(/\s*\+\s*/).map((part) => (part.startsWith('"') ? berryString(part) : (vars.get(part) ?? assert.fail(`unknown name ${part}`)))).join('');
  };
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    let match: RegExpExecArray | null;
    if ((match = new RegExp(`^var (\\w+) = (${BERRY_STRING})$`).exec(line))) vars.set(match[1]!, berryString(match[2]!));
    else if ((match = /^def (\w+)\(\)$/.exec(line))) {
      functions.add(match[1]!);
      blocks.push('def');
    } else if (line === 'var client = webclient()') vars.set('client', '');
    else if ((match = /^client\.begin\((\w+)\)$/.exec(line))) call.url = value(match[1]!);
    else if ((match = new RegExp(`^client\\.add_header\\((${BERRY_STRING}), (.+)\\)$`).exec(line))) call.headers[berryString(match[1]!)] = value(match[2]!);
    else if ((match = new RegExp(`^var code = client\\.POST\\((${BERRY_STRING})\\)$`).exec(line))) {
      call.method = 'POST';
      call.body = berryString(match[1]!);
    } else if (line === 'var code = client.GET()') call.method = 'GET';
    else if (line === 'client.close()') continue;
    else if (/^if code != 200$/.test(line)) blocks.push('if');
    else if (/^print\(.*\)$/.test(line)) continue;
    else if (line === 'end') assert.ok(blocks.pop(), 'an end closes an open def or if');
    else if ((match = new RegExp(`^tasmota\\.remove_cron\\((${BERRY_STRING})\\)$`).exec(line))) removedId = berryString(match[1]!);
    else if ((match = new RegExp(`^tasmota\\.add_cron\\((${BERRY_STRING}), (\\w+), (${BERRY_STRING})\\)$`).exec(line))) {
      cron = { pattern: berryString(match[1]!), fn: match[2]!, id: berryString(match[3]!) };
    } else assert.fail(`not a statement this recipe uses: ${line}`);
  }
  assert.deepEqual(blocks, [], 'every def and if is closed');
  assert.ok(cron, 'a cron is added');
  assert.ok(functions.has(cron.fn), `the cron runs a defined function (${cron.fn})`);
  assert.ok(call.url && call.method, 'the function makes a request');
  return { call: call as Call, cron: cron.pattern, cronFunction: cron.fn, cronId: cron.id, removedId };
}

// ---- Tasmota Rule: ON <trigger> DO <command> ENDON, commands from a known list. ----

const RULE_TRIGGERS = /^(System#Boot|System#Init|Rules#Timer=[1-8]|Time#Minute|Time#Initialized)$/;

/** The commands a rule runs: Backlog splits on `;`; WebQuery and RuleTimer are checked by their documented syntax. */
function readRuleCommands(text: string, calls: Call[]): void {
  const commands = text.startsWith('Backlog ') ? text.slice('Backlog '.length).split(';').map((part) => part.trim()) : [text];
  for (const command of commands) {
    let match: RegExpExecArray | null;
    if ((match = /^WebQuery (http:\/\/\S+) (GET|POST|PUT|PATCH)(?: (.*))?$/.exec(command))) {
      calls.push({ method: match[2] === 'GET' ? 'GET' : 'POST', url: match[1]!, headers: {}, body: match[3] });
    } else if (/^RuleTimer[1-8] \d{1,4}$/.test(command)) continue;
    else assert.fail(`not a Tasmota command this recipe uses: ${command}`);
  }
}

function readRule(text: string): { calls: Call[]; timerS: number } {
  const calls: Call[] = [];
  const lines = text.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 3);
  const rule = /^Rule1 (ON .+ ENDON)$/.exec(lines[0]!);
  assert.ok(rule, 'Rule1 ON … ENDON');
  assert.ok(rule[1]!.length <= 511, 'a rule holds at most 511 characters');
  const parts = rule[1]!.split(/ ENDON(?: |$)/).filter((part) => part !== '');
  for (const part of parts) {
    const on = /^ON (\S+) DO (.+)$/.exec(part);
    assert.ok(on, `ON <trigger> DO <command>: ${part}`);
    assert.match(on[1]!, RULE_TRIGGERS);
    readRuleCommands(on[2]!, calls);
  }
  assert.equal(lines[1], 'Rule1 1', 'the rule is switched on');
  const timer = /^RuleTimer1 (\d+)$/.exec(lines[2]!);
  assert.ok(timer, 'the timer is started now');
  return { calls, timerS: Number(timer[1]) };
}

// ---- RouterOS: `/path words name=value …`, values bare or quoted with \ escapes. ----

interface RouterOsCommand {
  path: string;
  args: Map<string, string>;
  bracket?: string;
}

function readRouterOs(line: string): RouterOsCommand {
  const path = /^((?:\/[a-z-]+)(?: [a-z-]+(?= |$))*)/.exec(line);
  assert.ok(path, `a command path: ${line}`);
  const args = new Map<string, string>();
  let rest = line.slice(path[1]!.length);
  let bracket: string | undefined;
  while (rest.length > 0) {
    let match: RegExpExecArray | null;
    if ((match = /^ \[([^\]]*)\]/.exec(rest))) {
      bracket = match[1];
    } else if ((match = /^ ([a-z-]+)=("(?:[^"\\]|\\.)*"|[^\s"]+)/.exec(rest))) {
      assert.ok(!args.has(match[1]!), `${match[1]} once`);
      const raw = match[2]!;
      if (raw.startsWith('"')) {
        assert.doesNotMatch(raw.slice(1, -1).replace(/\\./g, ''), /[$?]/, 'no unescaped $ or ? in a string');
        args.set(match[1]!, raw.slice(1, -1).replace(/\\(.)/g, '$1'));
      } else args.set(match[1]!, raw);
    } else assert.fail(`not an argument: ${rest}`);
    rest = rest.slice(match[0].length);
  }
  return { path: path[1]!, args, bracket };
}

function assertOnly(args: Map<string, string>, allowed: string[], what: string): void {
  for (const name of args.keys()) assert.ok(allowed.includes(name), `${what} has no argument "${name}"`);
}

describe('Tasmota and MikroTik recipes, checked against their documented syntax and run', () => {
  const dir = tempDir('recipes-tasmota-');
  let t: TestApp;
  let place: Place;
  before(async () => {
    t = await startTestApp(dir.file('monitor.db'));
    place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
  });
  after(async () => {
    await t.stop();
    dir.cleanup();
  });

  test('Tasmota Berry: known statements only, a 6-field cron with seconds, and the request it makes is accepted', async () => {
    const recipe = recipeFor('tasmota', inputFor(t.url('/api/heartbeat'), place.api_key, { intervalS: 15 }));
    const berry = recipe.blocks.find((block) => block.fileName === 'autoexec.be');
    assert.ok(berry);
    const read = readBerry(berry.text);
    const fields = read.cron.split(' ');
    assert.equal(fields.length, 6, 'Tasmota cron: second minute hour day month weekday');
    assert.equal(fields[0], '*/15');
    assert.equal(read.removedId, read.cronId, 'running the file twice replaces the cron instead of doubling it');
    const before = await acceptedHeartbeats(t);
    assert.equal(await send(read.call), 200);
    assert.equal((await acceptedHeartbeats(t)) - before, 1);
  });

  test('Tasmota Rule + WebQuery: offered for an http:// server, checked and run', async () => {
    const recipe = recipeFor('tasmota', inputFor(t.url('/api/heartbeat'), place.api_key));
    assert.equal(recipe.blocks.length, 2);
    const rule = readRule(recipe.blocks[1]!.text);
    assert.equal(rule.timerS, 10);
    assert.equal(rule.calls.length, 1);
    const before = await acceptedHeartbeats(t);
    assert.equal(await send(rule.calls[0]!), 200);
    assert.equal((await acceptedHeartbeats(t)) - before, 1);
  });

  test('Tasmota over HTTPS: no Rule (WebQuery is HTTP only), and the recipe says so', () => {
    const recipe = recipeFor('tasmota', inputFor('https://svitlo.example.com/api/heartbeat', place.api_key));
    assert.equal(recipe.blocks.length, 1);
    assert.ok(recipe.warnings.some((warning) => /WebQuery/.test(warning) && /HTTP/.test(warning) && /ESP8266/.test(warning)));
  });

  test('the checkers catch a typo (they are not rubber stamps)', () => {
    const berry = recipeFor('tasmota', inputFor(t.url('/api/heartbeat'), place.api_key)).blocks[0]!.text;
    assert.throws(() => readBerry(berry.replace('add_cron', 'add_corn')));
    assert.throws(() => readBerry(berry.replace(/^end$/m, '')));
    const rule = recipeFor('tasmota', inputFor(t.url('/api/heartbeat'), place.api_key)).blocks[1]!.text;
    assert.throws(() => readRule(rule.replace('ENDON', 'END')));
    assert.throws(() => readRule(rule.replace('WebQuery', 'WebQeury')));
    const mikrotik = recipeFor('mikrotik', inputFor(t.url('/api/heartbeat'), place.api_key)).blocks[0]!.text.split('\n')[1]!;
    assert.throws(() => readRouterOs(mikrotik.replace('on-event="', 'on-event="?')));
    assert.throws(() => readRouterOs(mikrotik.replace('interval=', 'intervall= ')));
  });

  test('MikroTik: /system scheduler with known arguments, its on-event a /tool fetch whose request is accepted', async () => {
    const recipe = recipeFor('mikrotik', inputFor(t.url('/api/heartbeat'), place.api_key, { intervalS: 20 }));
    const lines = recipe.blocks[0]!.text.split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 2);
    const remove = readRouterOs(lines[0]!);
    assert.equal(remove.path, '/system scheduler remove');
    assert.equal(remove.bracket, 'find name="power-monitor"');
    const add = readRouterOs(lines[1]!);
    assert.equal(add.path, '/system scheduler add');
    assertOnly(add.args, ['name', 'interval', 'start-time', 'start-date', 'on-event', 'policy', 'comment', 'disabled'], '/system scheduler add');
    assert.equal(add.args.get('name'), 'power-monitor');
    assert.equal(add.args.get('interval'), '20s');
    assert.equal(add.args.get('start-time'), 'startup');

    const fetchCommand = readRouterOs(add.args.get('on-event') ?? '');
    assert.equal(fetchCommand.path, '/tool fetch');
    assertOnly(fetchCommand.args, ['url', 'http-method', 'http-header-field', 'http-data', 'output', 'mode', 'check-certificate', 'keep-result', 'dst-path'], '/tool fetch');
    assert.ok(['none', 'user', 'file', undefined].includes(fetchCommand.args.get('output')));
    const headers: Record<string, string> = {};
    for (const field of (fetchCommand.args.get('http-header-field') ?? '').split(',')) {
      const header = /^([A-Za-z-]+): (.+)$/.exec(field);
      assert.ok(header, `Name: value in ${field}`);
      headers[header[1]!] = header[2]!;
    }
    const method = (fetchCommand.args.get('http-method') ?? 'get').toUpperCase();
    assert.ok(method === 'GET' || method === 'POST');
    const before = await acceptedHeartbeats(t);
    assert.equal(await send({ method, url: fetchCommand.args.get('url') ?? '', headers, body: fetchCommand.args.get('http-data') }), 200);
    assert.equal((await acceptedHeartbeats(t)) - before, 1);
  });
});
