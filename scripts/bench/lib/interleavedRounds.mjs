// Measures every variant once per round, rotating the order each round so that no variant always runs on
// a warmer (or busier) machine, and returns each variant's median over the rounds (the upper one for an
// even count).
export async function medianOfInterleavedRounds(variants, rounds, measure) {
  const samples = variants.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (let k = 0; k < variants.length; k += 1) {
      const index = (k + round) % variants.length;
      samples[index].push(await measure(variants[index]));
    }
  }
  return samples.map((values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
}
