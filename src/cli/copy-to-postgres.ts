import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { ConfigError, loadConfig, loadDotEnvFile } from '../config.js';
import { openReadOnly } from '../db/read-only.js';
import { maskPostgresUrl, parsePostgresUrl, PostgresUrlError, withoutPassword } from '../db/postgres-url.js';
import { copyToPostgres, CopyRefused, type AnyTables, type TableCopied } from '../db/copy-to-postgres.js';
import { CommandLineError, parseCommandLine } from './command-line.js';

/**
 * Moves the service from its SQLite file to PostgreSQL, once:
 *
 *   node dist/cli/copy-to-postgres.js [--from data/monitor.db] [--to postgres://…]
 *   (development: npm run copy-to-postgres -- …)
 */
const USAGE = `Usage: npm run copy-to-postgres -- [--from <file.db>] [--to postgres://user:password@host:5432/database]
       (in the image: node dist/cli/copy-to-postgres.js …)

Copies every row of the SQLite database into an empty PostgreSQL database, in one transaction,
for moving the service to DATABASE_URL. Stop the service first: what it writes after the copy
starts is not copied. The target must hold no rows of the service's tables (the copy never
merges or overwrites); its tables are created if missing.

  --from   the SQLite file (default: DATABASE_PATH, else data/monitor.db); it must exist
  --to     the PostgreSQL database (default: DATABASE_URL)

Then set DATABASE_URL for the service and start it.`;

async function run(argv: string[]): Promise<number> {
  let values: Record<string, string>;
  try {
    const commandLine = parseCommandLine(argv, { valueOptions: ['from', 'to'], flags: { help: 'h' } });
    if (commandLine.flags.help) {
      console.log(USAGE);
      return 0;
    }
    if (commandLine.positionals.length > 0) throw new CommandLineError(`Unexpected argument ${commandLine.positionals[0]}.`);
    values = commandLine.values;
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 1;
  }

  let from: string;
  let to: string | undefined;
  try {
    ({ from, to } = endpoints(values));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (to === undefined || to.trim() === '') {
    console.error('Where to? Pass --to postgres://user:password@host:5432/database or set DATABASE_URL.');
    return 1;
  }
  let url: URL;
  try {
    url = parsePostgresUrl(to.trim(), values.to === undefined ? 'DATABASE_URL' : '--to');
  } catch (error) {
    if (!(error instanceof PostgresUrlError)) throw error;
    console.error(`Nothing copied: ${error.message}`);
    return 1;
  }
  const shownTarget = maskPostgresUrl(url.toString());

  let source;
  try {
    source = openReadOnly(from);
  } catch (error) {
    console.error(`Nothing copied: cannot open the SQLite database ${from} (pass --from or set DATABASE_PATH): ${describe(error)}`);
    return 1;
  }
  const target = new Kysely<AnyTables>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: to.trim(), max: 1 }) }) });
  const started = performance.now();
  try {
    try {
      await target.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
    } catch (error) {
      console.error(`Nothing copied: cannot connect to ${shownTarget} (is PostgreSQL running there, and are the url's user, password and database right?): ${withoutPassword(describe(error), url)}`);
      return 1;
    }
    const copied = await copyToPostgres(source, target);
    console.log(`Copied ${from} to ${shownTarget} in ${((performance.now() - started) / 1000).toFixed(1)} s:\n${summary(copied)}`);
    console.log('Set DATABASE_URL to it and start the service.');
    return 0;
  } catch (error) {
    const message = withoutPassword(describe(error), url);
    console.error(error instanceof CopyRefused ? `Nothing copied: ${message}` : `The copy to ${shownTarget} failed; nothing was committed: ${message}`);
    return 1;
  } finally {
    source.close();
    await target.destroy();
  }
}

/** The SQLite file and the PostgreSQL url: from the command line, else as the service reads them (.env, DATABASE_PATH, DATABASE_URL). */
function endpoints(values: Record<string, string>): { from: string; to: string | undefined } {
  loadDotEnvFile();
  // The environment is read (and checked) only for what the command line leaves out.
  if (values.from !== undefined && values.to !== undefined) return { from: values.from, to: values.to };
  const config = loadConfig();
  return { from: values.from ?? config.databasePath, to: values.to ?? config.databaseUrl };
}

/** An error's message; a failed connect to a name with several addresses is an AggregateError with none of its own. */
function describe(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') return error.errors.map(describe).join('; ');
  return error instanceof Error ? error.message : String(error);
}

/** One line per table, the counts aligned, and the total. */
function summary(copied: TableCopied[]): string {
  const width = Math.max(...copied.map(({ table }) => table.length), 'total'.length);
  const total = copied.reduce((sum, { rows }) => sum + rows, 0);
  const digits = String(total).length;
  const line = (name: string, rows: number) => `  ${name.padEnd(width)}  ${String(rows).padStart(digits)}`;
  return [...copied.map(({ table, rows }) => line(table, rows)), line('total', total)].join('\n');
}

process.exitCode = await run(process.argv.slice(2));
