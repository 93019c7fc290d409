/**
 * A recipe: what an admin pastes into a device they already own (a Shelly, a router, a phone…)
 * so that it tells this service about the power at a place. Built from plain values, in the
 * admin's language, with the place's URL and a device key already in it; the bot and the CLI
 * only show it. The key is in the text (it is shown to the admin alone): never log a recipe.
 */

export const RECIPE_LOCALES = ['uk', 'en'] as const;
export type RecipeLocale = (typeof RECIPE_LOCALES)[number];

export interface RecipeInput {
  /** Full heartbeat URL, e.g. `https://monitor.example.com/api/heartbeat`. */
  heartbeatUrl: string;
  /** Full one-shot event URL, e.g. `https://monitor.example.com/api/event`. */
  eventUrl: string;
  /** The device key ([A-Za-z0-9_-], as the service issues them). */
  key: string;
  /** How often a heartbeat device should call, in seconds. */
  intervalS: number;
  /** After how long without a heartbeat the place is taken as off, in seconds. */
  timeoutS: number;
  locale: RecipeLocale;
  /** The device's (or for now the place's) name, shown in comments and titles. */
  deviceName: string;
}

export interface RecipeBlock {
  /** One short line above the block: what it is. */
  caption: string;
  /** Pasted as it is. */
  text: string;
  /** A whole file: the bot also sends it as a document with this name. */
  fileName?: string;
  /** For highlighting in the chat. */
  language?: 'js' | 'berry' | 'yaml' | 'sh' | 'ini' | 'c' | 'routeros' | 'text';
}

export interface Recipe {
  kind: RecipeKind;
  title: string;
  /** One line: where this goes. */
  whereToPaste: string;
  /** What to do, in order, in words (empty when the blocks say it all). */
  steps: string[];
  blocks: RecipeBlock[];
  /** Where it cannot work, or proves less than it seems. */
  warnings: string[];
}

/** A device that calls regularly (heartbeat), or one that calls when the mains changes (event). */
export type RecipeMode = 'heartbeat' | 'event';

export const RECIPE_KINDS = [
  'esp32',
  'shelly',
  'tasmota',
  'esphome',
  'openwrt',
  'keenetic',
  'mikrotik',
  'home-assistant',
  'linux',
  'iphone',
  'macrodroid',
  'tasker',
  'nut',
] as const;
export type RecipeKind = (typeof RECIPE_KINDS)[number];

export function isRecipeKind(value: unknown): value is RecipeKind {
  return (RECIPE_KINDS as readonly unknown[]).includes(value);
}

/** The same words in each language the recipes speak. */
export type Words = Record<RecipeLocale, string>;

export const pick = (locale: RecipeLocale, words: Words): string => words[locale];

/** How a kind is listed and built. */
export interface RecipeSpec {
  kind: RecipeKind;
  /** Button label and title. */
  label: Words;
  mode: RecipeMode;
  build(input: RecipeInput): Omit<Recipe, 'kind' | 'title'>;
}
