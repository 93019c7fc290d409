import { esp32Recipe } from './esp32.js';
import { esphomeRecipe } from './esphome.js';
import { homeAssistantRecipe } from './home-assistant.js';
import { iphoneRecipe } from './iphone.js';
import { keeneticRecipe } from './keenetic.js';
import { linuxRecipe } from './linux.js';
import { macrodroidRecipe } from './macrodroid.js';
import { mikrotikRecipe } from './mikrotik.js';
import { nutRecipe } from './nut.js';
import { openwrtRecipe } from './openwrt.js';
import { pick, type Recipe, type RecipeInput, type RecipeKind, type RecipeLocale, type RecipeSpec } from './recipe.js';
import { shellyRecipe } from './shelly.js';
import { tasmotaRecipe } from './tasmota.js';
import { taskerRecipe } from './tasker.js';

export { RECIPE_KINDS, isRecipeKind, type Recipe, type RecipeBlock, type RecipeInput, type RecipeKind, type RecipeLocale } from './recipe.js';

const SPECS: Record<RecipeKind, RecipeSpec> = {
  esp32: esp32Recipe,
  shelly: shellyRecipe,
  tasmota: tasmotaRecipe,
  esphome: esphomeRecipe,
  openwrt: openwrtRecipe,
  keenetic: keeneticRecipe,
  mikrotik: mikrotikRecipe,
  'home-assistant': homeAssistantRecipe,
  linux: linuxRecipe,
  iphone: iphoneRecipe,
  macrodroid: macrodroidRecipe,
  tasker: taskerRecipe,
  nut: nutRecipe,
};

/** The label of a kind, for a button or a list. */
export function recipeLabel(kind: RecipeKind, locale: RecipeLocale): string {
  return pick(locale, SPECS[kind].label);
}

/** Heartbeat devices call regularly; event devices call when the mains changes. */
export function recipeMode(kind: RecipeKind): RecipeSpec['mode'] {
  return SPECS[kind].mode;
}

/** The recipe of this kind for this device. Throws a RangeError on input no device could use. */
export function buildRecipe(kind: RecipeKind, input: RecipeInput): Recipe {
  checkInput(input);
  const spec = SPECS[kind];
  return { kind, title: pick(input.locale, spec.label), ...spec.build(input) };
}

export { eventUrlFor } from '../device-urls.js';

function checkInput(input: RecipeInput): void {
  // The key goes unquoted into URLs and a few formats: only the shape the service issues.
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(input.key)) throw new RangeError('The device key has an unexpected shape.');
  if (!Number.isSafeInteger(input.intervalS) || input.intervalS < 1 || input.intervalS > 3600) throw new RangeError(`intervalS must be 1…3600 s, got ${input.intervalS}`);
  if (!Number.isSafeInteger(input.timeoutS) || input.timeoutS < input.intervalS) throw new RangeError(`timeoutS must be a whole number of seconds ≥ intervalS, got ${input.timeoutS}`);
  for (const url of [input.heartbeatUrl, input.eventUrl]) {
    if (!/^https?:\/\/[^\s]+$/i.test(url)) throw new RangeError('The URLs must start with http:// or https:// and hold no spaces.');
  }
}
