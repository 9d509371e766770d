import { parseArgs } from 'node:util';

export const DEFAULT_PORT = 12345;
export const DEFAULT_MESSAGE = 'async can sometimes be confusing, but I believe in you!';

export interface ServerOptions {
  host: string;
  port: number;
}

export interface ClientOptions extends ServerOptions {
  /** Send `message` this many times instead of reading standard input. */
  repeat?: number;
  intervalSeconds: number;
  message: string;
  /** Keep retrying a refused connection this long (a server that is still starting). */
  waitSeconds: number;
}

/** A command-line mistake: reported in one line with the usage, exit status 2. */
export class UsageError extends Error {}

function number(
  name: string,
  text: string | undefined,
  fallback: number,
  minimum: number,
  maximum = Infinity,
) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value) || value < minimum || value > maximum) {
    throw new UsageError(`--${name} must be a number from ${minimum} to ${maximum}, not "${text}"`);
  }
  return value;
}

function port(text: string | undefined): number {
  const value = number('port', text, DEFAULT_PORT, 0, 65535);
  if (!Number.isInteger(value)) throw new UsageError(`--port must be a whole number, not "${text}"`);
  return value;
}

/** Parses `--name value` options, all strings; anything else is a UsageError. */
function parse<Name extends string>(argv: string[], names: readonly Name[]): Partial<Record<Name, string>> {
  const options = Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Partial<
      Record<Name, string>
    >;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function parseServerOptions(argv: string[]): ServerOptions {
  const values = parse(argv, ['host', 'port']);
  return { host: values.host ?? '127.0.0.1', port: port(values.port) };
}

export function parseClientOptions(argv: string[]): ClientOptions {
  const values = parse(argv, ['host', 'port', 'repeat', 'interval', 'message', 'wait']);
  const repeat = values.repeat === undefined ? undefined : number('repeat', values.repeat, 1, 1);
  if (repeat !== undefined && !Number.isInteger(repeat))
    throw new UsageError('--repeat must be a whole number');
  return {
    host: values.host ?? '127.0.0.1',
    port: port(values.port),
    repeat,
    intervalSeconds: number('interval', values.interval, 1, 0),
    message: values.message ?? DEFAULT_MESSAGE,
    waitSeconds: number('wait', values.wait, 0, 0),
  };
}
