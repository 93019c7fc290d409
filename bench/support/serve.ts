// The service as the benchmarks run it: a separate process (so the load generator does not share
// its event loop), the real sweep worker, logs off, the logging sender unless BOT_TOKEN is set.
import { App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const app = new App({ config, logger: createLogger({ level: 'silent', pretty: false }) });
await app.start();
process.send?.({ port: app.port });
process.on('message', async (message) => {
  if (message === 'stop') {
    await app.stop();
    process.exit(0);
  }
  // bench/alerts --midnight: the daily schedule fires now, as it does at 00:00.
  if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'run-diagrams') app.diagrams?.runDue();
});
