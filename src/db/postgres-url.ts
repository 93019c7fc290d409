/**
 * A PostgreSQL connection url (postgres://user:password@host:5432/database), checked before any
 * connection is tried and shown only with its password masked: it lands in terminals, logs and
 * error reports, the password must not.
 */
export class PostgresUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresUrlError';
  }
}

const EXAMPLE = 'postgres://user:password@host:5432/database';

/** The url, checked: postgres:// or postgresql://, a host, a database. Its errors never repeat the password. */
export function parsePostgresUrl(text: string, settingName: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Unparsed, the password cannot be told apart from the rest: say nothing of the text.
    throw new PostgresUrlError(`${settingName} is not a url; it must look like ${EXAMPLE}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new PostgresUrlError(`${settingName} must be a PostgreSQL url (${EXAMPLE}), not ${maskPostgresUrl(text)}`);
  }
  // A socket folder may come as ?host=/var/run/postgresql instead.
  if (url.hostname === '' && !url.searchParams.has('host')) throw new PostgresUrlError(`${settingName} names no host: ${maskPostgresUrl(text)} (${EXAMPLE})`);
  if (url.pathname.replace(/^\//, '') === '') throw new PostgresUrlError(`${settingName} names no database: ${maskPostgresUrl(text)} (${EXAMPLE})`);
  return url;
}

/** The url with its password replaced by ***, for messages; text that is no url is not shown at all. */
export function maskPostgresUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '(not a url)';
  }
  if (url.password !== '') url.password = '***';
  return url.toString();
}

/** `message` with every spelling of the url's password replaced by ***: for errors from elsewhere (a driver) that might quote it. */
export function withoutPassword(message: string, url: URL): string {
  const spellings = new Set([url.password, safeDecode(url.password)].filter((spelling) => spelling.length > 0));
  let result = message;
  for (const spelling of spellings) result = result.split(spelling).join('***');
  return result;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
