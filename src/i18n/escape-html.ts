/** Escapes user text for Telegram's HTML parse mode (only these three characters matter there). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
