/** A mistake on the command line, said so that the user can fix it (printed with the usage). */
export class CommandLineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandLineError';
  }
}

export interface CommandLineSpec {
  /** Long options that take a value: `--name value` or `--name=value`. */
  valueOptions: readonly string[];
  /** Boolean flags by long name, with an optional one-letter short form. */
  flags: Readonly<Record<string, string | undefined>>;
}

export interface CommandLine {
  positionals: string[];
  values: Record<string, string>;
  flags: Record<string, boolean>;
}

const NEGATIVE_NUMBER = /^-\d+$/;

/**
 * Splits the arguments of a shell command. Unlike node:util's parseArgs, a negative number is a
 * value, never an option: Telegram channel ids look like -1001234567890, both after `--channel`
 * and as a positional (`channel 1 -100222`). Everything after `--` is positional.
 */
export function parseCommandLine(args: readonly string[], spec: CommandLineSpec): CommandLine {
  const result: CommandLine = { positionals: [], values: {}, flags: {} };
  const shortFlags = new Map(Object.entries(spec.flags).flatMap(([name, short]) => (short ? [[short, name] as const] : [])));
  // Read front to back; an option's value is taken off the front with it.
  const pending = [...args];
  for (let arg = pending.shift(); arg !== undefined; arg = pending.shift()) {
    if (arg === '--') {
      result.positionals.push(...pending);
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || NEGATIVE_NUMBER.test(arg)) {
      result.positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) {
      const name = shortFlags.get(arg.slice(1));
      if (!name) throw new CommandLineError(`Unknown option ${arg}.`);
      result.flags[name] = true;
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    if (name in spec.flags) {
      if (equals !== -1) throw new CommandLineError(`--${name} takes no value.`);
      result.flags[name] = true;
      continue;
    }
    if (!spec.valueOptions.includes(name)) throw new CommandLineError(`Unknown option --${name}.`);
    if (name in result.values) throw new CommandLineError(`--${name} is given twice.`);
    let value: string | undefined;
    if (equals !== -1) {
      value = arg.slice(equals + 1);
    } else {
      const next = pending[0];
      // The next argument is the value unless it is another option (a negative number is a value).
      if (next !== undefined && (!next.startsWith('-') || NEGATIVE_NUMBER.test(next))) {
        value = next;
        pending.shift();
      }
    }
    if (value === undefined || value === '') throw new CommandLineError(`--${name} needs a value, e.g. --${name} ${exampleFor(name)}.`);
    result.values[name] = value;
  }
  return result;
}

function exampleFor(name: string): string {
  return { channel: '-1001234567890', timeout: '60', language: 'uk' }[name] ?? '<value>';
}
