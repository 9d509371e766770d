// Measures every variant once per round, rotating the order each round so that no variant always runs on
// a warmer (or busier) machine, and returns each variant's median over the rounds (the upper one for an
// even count).
export async function medianOfInterleavedRounds(variants, rounds, measure) {
  const samples = await samplesOfInterleavedRounds(variants, rounds, measure);
  return samples.map(median);
}

/**
 * The same rounds, and each variant's median over the rounds of its ratio to the first variant measured
 * in the same round. On a shared machine the speed drifts by tens of percent over minutes; a ratio
 * taken within one round cancels most of that drift, where a ratio of medians over the whole run does not.
 */
export async function medianAndPairedRatioOfInterleavedRounds(variants, rounds, measure) {
  const samples = await samplesOfInterleavedRounds(variants, rounds, measure);
  return samples.map((values) => ({
    median: median(values),
    pairedRatio: median(values.map((value, round) => value / samples[0][round])),
  }));
}

/** `samples[variant][round]`. */
async function samplesOfInterleavedRounds(variants, rounds, measure) {
  const samples = variants.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (let k = 0; k < variants.length; k += 1) {
      const index = (k + round) % variants.length;
      samples[index].push(await measure(variants[index]));
    }
  }
  return samples;
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
