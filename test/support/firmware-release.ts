import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A stand-in image: clearly not firmware, the size of nothing real. */
export const TEST_IMAGE = Buffer.from('TEST IMAGE - not firmware: written by the flasher tests\n');

export function releaseManifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Power Monitor',
    version: '1.1.0',
    builds: [{ chipFamily: 'ESP32', parts: [{ path: 'power-monitor-esp32.bin', offset: 0 }] }],
    ...overrides,
  };
}

/** Writes a release (manifest.json and the image) into the flasher's folder, as the CI release would. */
export function publishRelease(folder: string, manifest: unknown = releaseManifest(), image: Buffer | null = TEST_IMAGE): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  if (image !== null) writeFileSync(join(folder, 'power-monitor-esp32.bin'), image);
}
