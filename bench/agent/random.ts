/** The seeded PRNG (mulberry32): the same seed gives the same week and the same input. */
export { seededRandom as mulberry32 } from '../../test-support/seeded-random.js';

/** Exponentially distributed with the given mean. */
export function exponential(rand: () => number, mean: number): number {
  return -Math.log(1 - rand()) * mean;
}
