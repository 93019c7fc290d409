/**
 * The fake Bot API (test/support/fake-bot-api.ts) in a process of its own, for benchmarks that
 * run the service with Telegram: parsing a thousand photo uploads then costs neither the service
 * under test nor the process that measures it. Sends `{ apiRoot }` once it listens; answers
 * 'count' with how many photos it accepted; 'stop' closes it.
 */
import { startFakeBotApi } from '../../test/support/fake-bot-api.js';

const fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
process.send?.({ apiRoot: fake.apiRoot });
process.on('message', (message: unknown) => {
  if (message === 'count') {
    process.send?.({ photos: fake.callsOf('sendPhoto').filter((call) => !call.failed).length });
    // The calls hold every upload: forget them once counted.
    fake.reset();
  } else if (message === 'stop') {
    void fake.close().then(() => process.exit(0));
  }
});
