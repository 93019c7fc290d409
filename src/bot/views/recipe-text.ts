import type { Recipe, RecipeBlock } from '../../devices/recipes/index.js';
import { escapeHtml } from '../../i18n/escape-html.js';

/** Telegram's limit is 4096 characters per message; a block that would not fit goes as a file only. */
const MAX_INLINE_BLOCK = 3800;

export interface RecipeMessages {
  /** HTML messages in order: the overview (title, where, steps, warnings), then one per code block. */
  texts: string[];
  /** Whole files, sent as documents after the texts. */
  documents: { fileName: string; content: string; caption: string }[];
}

/**
 * A recipe as chat messages: the overview, each block as a code block (a tap copies it), and each
 * file as a document too. A file already inside another block (an install script that writes it)
 * is sent only as the document, so nothing is shown twice.
 */
export function recipeMessages(recipe: Recipe, deviceName: string): RecipeMessages {
  const overview = [`🔌 <b>${escapeHtml(recipe.title)}</b> · ${escapeHtml(deviceName)}`, '', `📍 ${escapeHtml(recipe.whereToPaste)}`];
  if (recipe.steps.length > 0) overview.push('', ...recipe.steps.map((step, index) => `${recipe.steps.length > 1 ? `${index + 1}. ` : ''}${escapeHtml(step)}`));
  if (recipe.warnings.length > 0) overview.push('', ...recipe.warnings.map(escapeHtml));
  const texts = [overview.join('\n')];
  const documents: RecipeMessages['documents'] = [];
  for (const block of recipe.blocks) {
    const inside = recipe.blocks.some((other) => other !== block && other.text.includes(block.text.trim()));
    const code = codeBlock(block);
    if (!(block.fileName && inside) && code.length <= MAX_INLINE_BLOCK) texts.push(code);
    if (block.fileName) documents.push({ fileName: block.fileName, content: block.text, caption: `📄 ${escapeHtml(block.fileName)} · ${escapeHtml(recipe.title)}` });
  }
  return { texts, documents };
}

function codeBlock(block: RecipeBlock): string {
  const language = block.language ? ` class="language-${block.language}"` : '';
  return `<b>${escapeHtml(block.caption)}</b>\n<pre><code${language}>${escapeHtml(block.text.trimEnd())}</code></pre>`;
}
