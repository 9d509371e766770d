// Identical creation stacks as one object. A program's pending promises come from a few places — 100 000
// requests parked at the same `await` were captured 100 000 times through the same frames — so a
// captured stack is looked up by its frames (each a shared object with a number) and kept once. Reading
// it for a snapshot (sources, which frames are shown, the key operations merge by) then happens once per
// distinct stack, not once per promise. The table is bounded; a stack already handed out stays valid
// when the table starts again.

import { SafeMap } from './intrinsics';
import type { CapturedStack, CombinatorMark, RawFrame } from './stackTypes';

const MAX_STACKS = 20_000;
const stacks: Map<string, CapturedStack> = new SafeMap();

function signature(
  frames: readonly RawFrame[],
  builtin: string | undefined,
  marks: readonly CombinatorMark[] | undefined,
) {
  let text = builtin ?? '';
  for (let index = 0; index < frames.length; index++) text += `,${frames[index].id}`;
  if (marks !== undefined)
    for (let index = 0; index < marks.length; index++) {
      const mark = marks[index];
      text += `|${mark.at}:${mark.combinator}:${mark.index}`;
    }
  return text;
}

/** The one stack object with these frames, built-in and combinator marks. */
export function internStack(
  frames: RawFrame[],
  builtin: string | undefined,
  marks: CombinatorMark[] | undefined,
): CapturedStack {
  const key = signature(frames, builtin, marks);
  const known = stacks.get(key);
  if (known !== undefined) return known;
  if (stacks.size >= MAX_STACKS) stacks.clear();
  let reachesProgram = false;
  for (let index = 0; index < frames.length && !reachesProgram; index++)
    reachesProgram = !frames[index].internal;
  const stack: CapturedStack =
    marks === undefined ? { frames, builtin, reachesProgram } : { frames, builtin, reachesProgram, marks };
  stacks.set(key, stack);
  return stack;
}
