// Every script's flags, read by `node:util` parseArgs in strict mode: a mistyped or unknown flag stops
// the script with the reason and its usage line (exit status 2), instead of being ignored while the
// script goes on without it. `--help` prints the usage line.
import { parseArgs } from 'node:util';

/**
 * @param {{ usage: string, options?: import('node:util').ParseArgsConfig['options'], allowPositionals?: boolean, args?: string[] }} config
 *   usage: what follows "usage: ", e.g. "node scripts/build.mjs [--production] [--watch]".
 * @returns {{ values: Record<string, string | boolean | undefined>, positionals: string[] }}
 */
export function readCommandLine({ usage, options = {}, allowPositionals = false, args }) {
  let parsed;
  try {
    parsed = parseArgs({
      args: args ?? process.argv.slice(2),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    exitWithUsage(usage, error.message);
  }
  if (parsed.values.help) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  delete parsed.values.help;
  return parsed;
}

/** Stops the script: `reason`, then the usage line, on stderr; exit status 2 (a usage error). */
export function exitWithUsage(usage, reason) {
  console.error(`${reason}\nusage: ${usage}`);
  process.exit(2);
}
