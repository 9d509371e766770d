// Which promises get a creation stack. Read once, when the agent loads, from the environment
// variable the extension sets from the `asyncToolkit.node.creationStacks` setting.

/**
 * all:     a stack for every promise and resource, and tracking never pauses. Exact sites everywhere;
 *          costs several times the promise itself, for short sessions of programs that are not busy.
 * sampled: (default) a stack for promises and resources created by synchronous code (the main script,
 *          timer and I/O callbacks) within a budget of captures per second; promises created inside
 *          promise jobs inherit the site of the code that scheduled them ("within fetchUser").
 *          Tracking pauses while the program makes promises faster than promiseRateGovernor.ts allows.
 *          Chosen by measurement: see BENCHMARKS.md, "Node agent".
 * off:     no stacks; tasks keep their type, state, age and parent, and groups fall back to types.
 *          Tracking pauses under load as in `sampled`.
 */
export type CreationStackMode = 'all' | 'sampled' | 'off';

export const DEFAULT_CREATION_STACK_MODE: CreationStackMode = 'sampled';

export const CREATION_STACKS_VARIABLE = 'ASYNC_TOOLKIT_CREATION_STACKS';

/** Unknown values fall back to the default with a reason, so a typo never disables the agent. */
export function parseCreationStackMode(value: string | undefined): {
  mode: CreationStackMode;
  warning?: string;
} {
  if (value === undefined || value === '') return { mode: DEFAULT_CREATION_STACK_MODE };
  const normalized = value.trim().toLowerCase();
  if (normalized === 'all' || normalized === 'sampled' || normalized === 'off') return { mode: normalized };
  return {
    mode: DEFAULT_CREATION_STACK_MODE,
    warning: `${CREATION_STACKS_VARIABLE}=${JSON.stringify(value)} is not one of all, sampled, off; using ${DEFAULT_CREATION_STACK_MODE}`,
  };
}
