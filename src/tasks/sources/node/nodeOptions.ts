// Adds `--require <agent>` to a NODE_OPTIONS value, keeping what the user already put there. Node
// splits NODE_OPTIONS on spaces and understands double quotes, inside which a backslash escapes the
// next character (node_options.cc, ParseNodeOptionsEnvVar); a path with spaces must be quoted, and
// inside the quotes its backslashes and quotes escaped. No `vscode` import: unit-tested with real
// `node` processes.

/** One NODE_OPTIONS argument: as it is when Node would read it back unchanged, else quoted. */
export function quoteForNodeOptions(argument: string): string {
  if (argument !== '' && !/[\s"]/.test(argument)) return argument;
  return `"${argument.replace(/[\\"]/g, '\\$&')}"`;
}

/** Splits a NODE_OPTIONS value the way Node does, for finding what it already loads. */
export function splitNodeOptions(value: string): string[] {
  const result: string[] = [];
  let current = '';
  let inString = false;
  let started = false;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (char === '\\' && inString && index + 1 < value.length) {
      current += value[++index];
    } else if (char === '"') {
      inString = !inString;
      started = true;
    } else if (char === ' ' && !inString) {
      if (started) result.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) result.push(current);
  return result;
}

/** Whether these arguments (`runtimeArgs`, or NODE_OPTIONS split) `--require` (or `-r`) the agent at `agentPath`. */
export function argumentsLoad(args: readonly string[], agentPath: string): boolean {
  return args.some(
    (arg, index) =>
      ((arg === '--require' || arg === '-r') && args[index + 1] === agentPath) ||
      arg === `--require=${agentPath}`,
  );
}

/** Whether these NODE_OPTIONS already load the agent at `agentPath`. */
export function nodeOptionsLoad(value: string | undefined, agentPath: string): boolean {
  return value ? argumentsLoad(splitNodeOptions(value), agentPath) : false;
}

/** `existing` with `--require <agentPath>` appended (the user's options run first), unless it already loads it. */
export function withAgentRequired(existing: string | undefined, agentPath: string): string {
  const base = (existing ?? '').trim();
  if (nodeOptionsLoad(base, agentPath)) return base;
  const require = `--require ${quoteForNodeOptions(agentPath)}`;
  return base ? `${base} ${require}` : require;
}

/**
 * What Node's permission model (`--permission`, `--experimental-permission` on Node 20) lets the program
 * read, from its arguments (`runtimeArgs` and NODE_OPTIONS split); undefined when the model is off.
 * `--allow-fs-read` takes `*`, a file, a folder (what is below it), a path ending in `*` (a prefix),
 * or several of these separated by commas (Node 20), and may be given more than once.
 */
export function permittedReads(args: readonly string[]): string[] | undefined {
  if (!args.some((arg) => arg === '--permission' || arg === '--experimental-permission')) return undefined;
  const reads: string[] = [];
  args.forEach((arg, index) => {
    let value: string | undefined;
    if (arg.startsWith('--allow-fs-read=')) value = arg.slice('--allow-fs-read='.length);
    else if (arg === '--allow-fs-read') value = args[index + 1];
    if (value) reads.push(...value.split(',').filter(Boolean));
  });
  return reads;
}

/** Whether one of `reads` (see permittedReads) lets Node read `file`. */
export function readPermitted(reads: readonly string[], file: string): boolean {
  return reads.some((allowed) => {
    if (allowed === '*' || allowed === file) return true;
    if (allowed.endsWith('*')) return file.startsWith(allowed.slice(0, -1));
    return file.startsWith(allowed.endsWith('/') ? allowed : `${allowed}/`);
  });
}
