import { accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { classifyFailure, sqliteCodeOf } from './storage-faults.js';

/**
 * A start-up failure to open the database, explained for the person who must fix it: which file,
 * which user the process runs as, and the exact command that fixes it. (On fly.io a fresh volume
 * is owned by root, a read-only bind mount or a damaged file are the other usual causes.)
 */
export class DatabaseOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseOpenError';
  }
}

interface ProcessUser {
  name: string;
  uid: number;
  gid: number;
}

export function currentUser(): ProcessUser {
  try {
    const info = userInfo();
    return { name: info.username, uid: info.uid, gid: info.gid };
  } catch {
    return { name: `uid ${process.getuid?.() ?? '?'}`, uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1 };
  }
}

/** Turns an error from creating the folder or opening the file into a DatabaseOpenError, or returns it as it is. */
export function explainOpenFailure(
  error: unknown,
  databasePath: string,
  user: ProcessUser = currentUser(),
  accessError: (path: string) => string | null = writeAccessError,
): unknown {
  if (error instanceof DatabaseOpenError) return error;
  const file = resolve(databasePath);
  const folder = dirname(file);
  const who = `user "${user.name}" (uid ${user.uid})`;
  const chown = `chown -R ${user.uid}:${user.gid} ${folder}`;
  const code = sqliteCodeOf(error) ?? (error as { code?: unknown } | null)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  const writable = (path: string) => accessError(path) === null;
  /** Exists, but this user may not write it. */
  const refused = (path: string) => ![null, 'ENOENT'].includes(accessError(path));

  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || (typeof code === 'string' && code.startsWith('SQLITE_READONLY_'))) {
    if (code === 'EROFS' || accessError(folder) === 'EROFS') {
      return new DatabaseOpenError(
        `Cannot write the database at ${file}: the folder ${folder} is on a read-only file system (${reason}).\n` +
          'Mount a writable volume there, or set DATABASE_PATH to a file on one.',
        { cause: error },
      );
    }
    if (!writable(folder)) {
      return new DatabaseOpenError(
        `Cannot create or open the database at ${file}: the folder ${folder} is not writable by ${who} (${reason}).\n` +
          `Fix it as root: ${chown}\n` +
          '(A fresh volume is often owned by root; the container image fixes this itself when it starts as root — see README, "Deploy".)',
        { cause: error },
      );
    }
    if (refused(file)) {
      return new DatabaseOpenError(
        `Cannot write the database file ${file}: it is read-only for ${who} (${reason}).\n` +
          `Fix it as root: chown ${user.uid}:${user.gid} ${file}* && chmod u+rw ${file}*`,
        { cause: error },
      );
    }
    for (const side of [`${file}-wal`, `${file}-shm`]) {
      if (refused(side)) {
        return new DatabaseOpenError(
          `Cannot write ${side} (SQLite's side file of ${file}): it is read-only for ${who} (${reason}).\n` +
            `Fix it as root: chown ${user.uid}:${user.gid} ${file}* && chmod u+rw ${file}*`,
          { cause: error },
        );
      }
    }
  }
  // The rest by the one classification of storage faults (storage-faults.ts).
  const kind = classifyFailure(error);
  if (kind === 'corrupt') {
    return new DatabaseOpenError(
      `The file ${file} is not a database or is damaged (${reason}).\n` +
        'Restore it from a backup: stop the service, move the damaged file aside (keep it for inspection), copy a backup in its place ' +
        `and remove the old side files — e.g. mv ${file} ${file}.damaged && cp ${folder}/backups/monitor-<time>.db ${file} && rm -f ${file}-wal ${file}-shm — then start again. ` +
        '(Backups come from /backup in the admin chat or node dist/cli/backup.js.)',
      { cause: error },
    );
  }
  if (kind === 'busy') {
    return new DatabaseOpenError(
      `The database ${file} is locked by another process (${reason}). Wait for it to finish (a sqlite3 shell left open in a transaction?) and start again.`,
      { cause: error },
    );
  }
  if (kind === 'full') {
    return new DatabaseOpenError(`The disk holding ${file} is full (${reason}). Free some space (df -h ${folder}) or give the volume more, then start again.`, {
      cause: error,
    });
  }
  return error;
}

/** Why `path` cannot be written (EACCES, EROFS, ENOENT…), or null when it can. */
function writeAccessError(path: string): string | null {
  try {
    accessSync(path, constants.W_OK);
    return null;
  } catch (error) {
    return String((error as { code?: unknown }).code ?? 'EACCES');
  }
}
