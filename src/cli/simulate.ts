import { parseArgs } from 'node:util';
import { emitKeypressEvents } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { heartbeatUrl, SimulatedDevice } from '../devices/simulated-device.js';

/**
 * A stand-in for an ESP32 board, for trying the service without hardware:
 *   npm run simulate -- --key <key> [--interval 10] [--url http://localhost:8080]
 *                       [--cut-after 60 --cut-for 300] [--reboot-after 30]
 * Keys while running: c = cut the power (again: restore it), r = quick power blink (reboot inside
 * the timeout), w = watchdog reboot (not an outage), q = quit.
 */
const { values } = parseArgs({
  options: {
    key: { type: 'string' },
    url: { type: 'string', default: 'http://localhost:8080' },
    interval: { type: 'string' },
    'cut-after': { type: 'string' },
    'cut-for': { type: 'string', default: '120' },
    'reboot-after': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help || !values.key) {
  console.log('Usage: npm run simulate -- --key <device key> [--interval 10] [--url http://localhost:8080] [--cut-after S --cut-for S] [--reboot-after S]');
  process.exit(values.help ? 0 : 1);
}

const seconds = (text: string | undefined, name: string): number | null => {
  if (text === undefined) return null;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} must be a positive number of seconds`);
    process.exit(1);
  }
  return value;
};

const fixedInterval = seconds(values.interval, 'interval');
const cutAfter = seconds(values['cut-after'], 'cut-after');
const cutFor = seconds(values['cut-for'], 'cut-for') ?? 120;
const rebootAfter = seconds(values['reboot-after'], 'reboot-after');
const device = new SimulatedDevice({ url: heartbeatUrl(values.url), key: values.key });
let intervalS = fixedInterval ?? 10;
let running = true;
const log = (text: string) => console.log(`${new Date().toLocaleTimeString()}  ${text}`);

function cutPower(forS: number | null): void {
  device.powerOff();
  log(forS === null ? 'power cut (press c to restore)' : `power cut for ${forS} s`);
  if (forS !== null) setTimeout(restorePower, forS * 1000).unref();
}
function restorePower(): void {
  device.powerOn();
  log('power restored: fresh boot');
}

if (process.stdin.isTTY) {
  emitKeypressEvents(process.stdin);
  process.stdin.setRawMode(true);
  process.stdin.on('keypress', (_text: string, key: { name?: string; ctrl?: boolean }) => {
    if (key.name === 'q' || (key.ctrl && key.name === 'c')) running = false;
    else if (key.name === 'c') (device.isPowered ? cutPower(null) : restorePower());
    else if (key.name === 'r') {
      device.powerOff();
      log('power blink: back in 3 s');
      setTimeout(restorePower, 3000).unref();
    } else if (key.name === 'w') {
      device.softwareReboot();
      log('watchdog reboot (not a power cut)');
    }
  });
  log('keys: c = cut/restore power, r = quick blink, w = watchdog reboot, q = quit');
}
process.on('SIGINT', () => (running = false));
if (cutAfter !== null) setTimeout(() => cutPower(cutFor), cutAfter * 1000).unref();
if (rebootAfter !== null) {
  setTimeout(() => {
    device.powerOff();
    log('power blink: back in 3 s');
    setTimeout(restorePower, 3000).unref();
  }, rebootAfter * 1000).unref();
}

device.powerOn();
log(`simulating a device at ${heartbeatUrl(values.url)}`);
while (running) {
  try {
    const reply = await device.heartbeat();
    if (reply) {
      if (fixedInterval === null && reply.intervalS !== null) intervalS = reply.intervalS;
      log(`heartbeat → ${reply.status}${reply.status === 401 ? ' (unknown key: check --key)' : ''}`);
    }
  } catch (error) {
    log(`server unreachable: ${error instanceof Error ? error.message : String(error)}`);
  }
  const until = Date.now() + intervalS * 1000;
  while (running && Date.now() < until) await sleep(200);
}
process.exit(0);
