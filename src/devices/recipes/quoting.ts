/** Quoting for the languages recipes are written in: every value put into code goes through one of these. */

/** A POSIX shell word that is taken literally: single quotes, with `'` closed, escaped and reopened. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A double-quoted string for JavaScript, Berry and YAML (JSON's escapes are valid in all three). */
export function quoted(value: string): string {
  return JSON.stringify(value);
}

/** Text safe on a one-line comment in any of them: no line breaks or control characters. */
export function commentText(value: string): string {
  const safe = value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return safe === '' ? '-' : safe;
}

/** A RouterOS string: `\`, `"`, `$` and `?` (which the terminal reads as "help") escaped. */
export function routerOsString(value: string): string {
  return `"${value.replace(/[\\"$?]/g, (char) => `\\${char}`)}"`;
}

/**
 * One argument of a systemd `ExecStart=` line: bare when it needs nothing, else double-quoted;
 * `%` (specifiers) and `$` (variables) doubled so they stay literal.
 */
export function systemdArg(value: string): string {
  const literal = value.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_@+=:,./{}-]+$/.test(literal) ? literal : `"${literal.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** A value on a systemd unit line where only specifiers are special (Description=). */
export function systemdText(value: string): string {
  return commentText(value).replace(/%/g, '%%');
}
