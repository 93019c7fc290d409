import { pick, type Recipe, type RecipeLocale } from './recipe.js';

/** A recipe as plain text for a terminal (the CLI): the same content the chat shows. */
export function recipePlainText(recipe: Recipe, locale: RecipeLocale): string {
  const lines = [`== ${recipe.title} ==`, '', `${pick(locale, { uk: 'Куди', en: 'Where' })}: ${recipe.whereToPaste}`];
  if (recipe.steps.length > 0) lines.push('', ...recipe.steps.map((step, index) => (recipe.steps.length > 1 ? `${index + 1}. ${step}` : step)));
  if (recipe.warnings.length > 0) lines.push('', ...recipe.warnings);
  for (const block of recipe.blocks) {
    lines.push('', `--- ${block.caption}${block.fileName && block.fileName !== block.caption ? ` (${block.fileName})` : ''} ---`, block.text.trimEnd(), '---');
  }
  return `${lines.join('\n')}\n`;
}
