import { dirname, resolve } from 'node:path';
import { runAsServiceUser } from './ops/run-as-service-user.js';

/**
 * The container's entry point (Dockerfile CMD): as root, it gives the data folder to the `node`
 * user (uid/gid 1000 in the official Node images; SERVICE_UID/SERVICE_GID to change) and drops
 * root, then starts the service exactly as `node dist/main.js` does. Run as any other user, it
 * only starts the service.
 */
const uid = Number(process.env.SERVICE_UID ?? 1000);
const gid = Number(process.env.SERVICE_GID ?? 1000);
const databasePath = process.env.DATABASE_PATH ?? 'data/monitor.db';
if (databasePath !== ':memory:') {
  const { handedOver } = runAsServiceUser(dirname(resolve(databasePath)), { uid, gid });
  if (handedOver > 0) console.log(`Gave ${handedOver} file(s) in ${dirname(resolve(databasePath))} to uid ${uid}:${gid}, the service's user.`);
}
await import('./main.js');
