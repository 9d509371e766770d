// The notes a snapshot carries when tracking stepped aside under load: why some tasks have no site, and
// how to keep every site. Pure text from the governor's report.

import type { GovernorReport } from './promiseRateGovernor';

/** What a tracking note talks about. */
export interface TrackedKind {
  /** "Promise tracking" */
  subject: string;
  /** "promises", as in "more than 200,000 promises a second" */
  made: string;
  /** "Promises", as in "Promises made meanwhile are listed without creation sites." */
  listed: string;
  /** How to keep every site, or why that is not offered. */
  advice: string;
}

export const PROMISE_TRACKING: TrackedKind = {
  subject: 'Promise tracking',
  made: 'promises',
  listed: 'Promises',
  advice: 'To track every promise whatever it costs, set asyncToolkit.node.creationStacks to "all".',
};

export const RESOURCE_TRACKING: TrackedKind = {
  subject: 'Resource tracking',
  made: 'async resources (timers, process.nextTick callbacks, sockets)',
  listed: 'Timers, sockets and other resources',
  advice: 'To track every resource whatever it costs, set asyncToolkit.node.creationStacks to "all".',
};

/** Tells the user why some tasks have no site: tracking stepped aside under a high rate. */
export function trackingNote(tracking: GovernorReport | undefined, kind: TrackedKind): string | undefined {
  if (tracking === undefined || tracking.pauses === 0) return undefined;
  const rate = tracking.maxPerSecond.toLocaleString('en-US');
  const seconds = `${(tracking.pausedMs / 1000).toFixed(1)} s`;
  const pauses = tracking.pauses === 1 ? 'once' : `${tracking.pauses} times`;
  if (tracking.paused) {
    return `${kind.subject} is paused: the program makes more than ${rate} ${kind.made} a second, and the agent steps aside so that its cost stays low (paused ${pauses}, ${seconds} in all so far). ${kind.listed} made meanwhile are listed without creation sites. ${kind.advice}`;
  }
  return `${kind.subject} paused ${pauses} (${seconds} in all) while the program made more than ${rate} ${kind.made} a second; ${kind.listed.toLowerCase()} made then are listed without creation sites. ${kind.advice}`;
}
