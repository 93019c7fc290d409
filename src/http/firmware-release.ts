import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The prebuilt ESP32 firmware the flasher page offers: the release's `manifest.json` (ESP Web
 * Tools' format, written by .github/workflows/firmware.yml) and the image files it names, all in
 * one folder (FIRMWARE_DIR). Read again on every request, so an operator can drop a new release in
 * without a restart. Nothing is offered unless every named file is there: no half release.
 */

/** A part's file name: plain, in the folder itself (no paths, no dot files). */
const PART_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** Bigger than any ESP32's flash: a file this large is not a firmware image. */
export const MAX_PART_BYTES = 16 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 64 * 1024;

/** The chip families ESP Web Tools knows (its `Build["chipFamily"]`). */
const CHIP_FAMILIES = ['ESP32', 'ESP32-C2', 'ESP32-C3', 'ESP32-C5', 'ESP32-C6', 'ESP32-C61', 'ESP32-H2', 'ESP32-P4', 'ESP32-S2', 'ESP32-S3', 'ESP8266'] as const;

const manifestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  version: z.string().trim().min(1).max(50),
  new_install_prompt_erase: z.boolean().optional(),
  new_install_improv_wait_time: z.number().int().min(0).max(120).optional(),
  builds: z
    .array(
      z.object({
        chipFamily: z.enum(CHIP_FAMILIES),
        parts: z
          .array(
            z.object({
              path: z.string().regex(PART_FILE, 'a part must be a plain file name in the firmware folder'),
              offset: z.number().int().min(0).max(MAX_PART_BYTES),
            }),
          )
          .min(1)
          .max(8),
      }),
    )
    .min(1)
    .max(16),
});

export type ReleaseManifest = z.infer<typeof manifestSchema>;

/** What the folder holds: a release to offer, or why there is none (for the log and the page). */
export type FirmwareRelease =
  | { available: true; folder: string; manifest: ReleaseManifest; files: ReadonlySet<string> }
  | { available: false; reason: string };

/** Where the page's manifest says the parts are, relative to /flash/manifest.json. */
export const FIRMWARE_FILES_PATH = 'firmware/';

export async function readFirmwareRelease(folder: string | undefined): Promise<FirmwareRelease> {
  if (folder === undefined) return { available: false, reason: 'no firmware folder is configured' };
  const manifestPath = join(folder, 'manifest.json');
  let text: string;
  try {
    const info = await lstat(manifestPath);
    if (!info.isFile()) return { available: false, reason: 'manifest.json is not a regular file' };
    if (info.size > MAX_MANIFEST_BYTES) return { available: false, reason: 'manifest.json is too large' };
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    return { available: false, reason: isMissing(error) ? 'no manifest.json in the firmware folder' : 'manifest.json cannot be read' };
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { available: false, reason: 'manifest.json is not valid JSON' };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { available: false, reason: `manifest.json does not have ESP Web Tools' shape (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})` };
  }
  const manifest = parsed.data;
  if (!manifest.builds.some((build) => build.chipFamily === 'ESP32')) {
    return { available: false, reason: 'manifest.json has no build for chipFamily ESP32' };
  }

  const files = new Set<string>();
  for (const build of manifest.builds) {
    for (const part of build.parts) {
      if (files.has(part.path)) continue;
      const problem = await partProblem(join(folder, part.path));
      if (problem !== null) return { available: false, reason: `${part.path} ${problem}` };
      files.add(part.path);
    }
  }
  return { available: true, folder, manifest, files };
}

/** The manifest the page hands to ESP Web Tools: the release's, with every part under /flash/firmware/. */
export function pageManifest(manifest: ReleaseManifest): ReleaseManifest {
  return {
    name: manifest.name,
    version: manifest.version,
    // A board that ran other firmware may hold settings this one misreads: offer to erase.
    new_install_prompt_erase: manifest.new_install_prompt_erase ?? true,
    // After flashing the board needs a few seconds to boot before it answers Improv.
    new_install_improv_wait_time: manifest.new_install_improv_wait_time ?? 15,
    builds: manifest.builds.map((build) => ({
      chipFamily: build.chipFamily,
      parts: build.parts.map((part) => ({ path: `${FIRMWARE_FILES_PATH}${part.path}`, offset: part.offset })),
    })),
  };
}

async function partProblem(path: string): Promise<string | null> {
  try {
    const info = await lstat(path);
    if (!info.isFile()) return 'is not a regular file';
    if (info.size === 0) return 'is empty';
    if (info.size > MAX_PART_BYTES) return 'is larger than any ESP32 flash';
    return null;
  } catch (error) {
    return isMissing(error) ? 'is named in manifest.json but missing' : 'cannot be read';
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'ENOENT';
}
