import { createRequire } from 'node:module';
import { GlobalFonts } from '@napi-rs/canvas';

/**
 * The diagram ships its own font (Noto Sans from npm) instead of trusting the system: a slim
 * container may have no fonts at all, and Cyrillic must look the same everywhere.
 */

/** Family name the chart asks for in `textStyle.fontFamily`. */
export const DIAGRAM_FONT_FAMILY = 'Diagram Noto Sans';

const FONT_FILES = [
  '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
] as const;

let registered = false;

/** Registers the regular and bold faces under DIAGRAM_FONT_FAMILY; later calls do nothing. */
export function registerDiagramFonts(): void {
  if (registered) return;
  const require = createRequire(import.meta.url);
  for (const file of FONT_FILES) {
    const path = require.resolve(file);
    if (!GlobalFonts.registerFromPath(path, DIAGRAM_FONT_FAMILY)) {
      throw new Error(`Could not register the diagram font ${path}; is @expo-google-fonts/noto-sans installed?`);
    }
  }
  registered = true;
}
