import { createReadStream, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import type { Logger } from '../logger.js';
import { FIRMWARE_FILES_PATH, pageManifest, readFirmwareRelease, type FirmwareRelease } from './firmware-release.js';
import { renderFlasherPage } from './flasher-page.js';

export interface FlasherRouteDeps {
  /** The folder with the release's manifest.json and image (FIRMWARE_DIR); none: nothing to offer. */
  firmwareDir?: string;
  logger: Logger;
}

/**
 * The browser flasher, open to anyone (no login; nothing secret in it):
 *   GET /flash                      the page (ESP Web Tools' install button when a release is there)
 *   GET /flash/manifest.json        ESP Web Tools' manifest; 404 while no complete release is there
 *   GET /flash/firmware/<file>      the image files that manifest names, and only those
 *   GET /flash/esp-web-tools/<js>   ESP Web Tools itself, from node_modules (no CDN)
 */
export function flasherRoutes(deps: FlasherRouteDeps): Router {
  const scripts = espWebToolsScripts();
  const router = new Router();

  // The operator is told once per change why nothing is offered (or that something is now),
  // not on every page view.
  let lastReported: string | undefined;
  const release = async (): Promise<FirmwareRelease> => {
    const found = await readFirmwareRelease(deps.firmwareDir);
    const report = found.available ? `offered ${found.manifest.name} ${found.manifest.version}` : found.reason;
    if (report !== lastReported) {
      lastReported = report;
      if (found.available) deps.logger.info({ folder: found.folder, version: found.manifest.version }, 'flasher: firmware release offered');
      else deps.logger.warn({ folder: deps.firmwareDir, reason: found.reason }, 'flasher: no firmware release to offer');
    }
    return found;
  };

  router.get('/flash', async (ctx) => {
    const found = await release();
    ctx.set(PAGE_HEADERS);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = renderFlasherPage({ release: found.available ? { name: found.manifest.name, version: found.manifest.version } : null });
  });

  router.get('/flash/manifest.json', async (ctx) => {
    const found = await release();
    ctx.set('Cache-Control', 'no-cache');
    if (!found.available) {
      ctx.status = 404;
      ctx.body = { error: 'firmware_missing', message: 'No firmware image is published on this server yet; see /flash#how-to-get.' };
      return;
    }
    ctx.body = pageManifest(found.manifest);
  });

  router.get(`/flash/${FIRMWARE_FILES_PATH}:file`, async (ctx) => {
    const found = await release();
    const file = ctx.params.file ?? '';
    if (!found.available || !found.files.has(file)) {
      ctx.status = 404;
      ctx.body = { error: 'not_found', message: 'No such firmware file.' };
      return;
    }
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'application/octet-stream';
    ctx.body = createReadStream(join(found.folder, file));
  });

  router.get('/flash/esp-web-tools/:file', (ctx) => {
    const file = ctx.params.file ?? '';
    if (!scripts.files.has(file)) {
      ctx.status = 404;
      ctx.body = { error: 'not_found', message: 'No such file.' };
      return;
    }
    // The chunks carry a content hash in their names; the entry point does not.
    ctx.set('Cache-Control', file === 'install-button.js' ? 'no-cache' : 'public, max-age=31536000, immutable');
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = createReadStream(join(scripts.folder, file));
  });

  return router;
}

/**
 * The page loads scripts from this service only and talks to no one else: ESP Web Tools fetches
 * the manifest and the image from here, and the board over Web Serial, which no policy covers.
 */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** ESP Web Tools' browser bundle (dist/web: the entry point and its chunks), listed once at start. */
function espWebToolsScripts(): { folder: string; files: ReadonlySet<string> } {
  const require = createRequire(import.meta.url);
  const folder = join(dirname(require.resolve('esp-web-tools/package.json')), 'dist', 'web');
  const files = new Set(readdirSync(folder).filter((name) => /^[A-Za-z0-9_.-]+\.js$/.test(name)));
  if (!files.has('install-button.js')) throw new Error(`esp-web-tools has no dist/web/install-button.js in ${folder}: reinstall the package`);
  return { folder, files };
}
