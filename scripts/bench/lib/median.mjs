// The middle value of a benchmark's samples (the upper one of the two middle values for an even count),
// without reordering the caller's list.
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
