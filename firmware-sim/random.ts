// A small seeded PRNG (mulberry32) so a fleet run is reproducible with --seed.
export type Rng = () => number;

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives an independent stream per device from the run seed. */
export const deviceRng = (seed: number, index: number) => rng((seed * 2654435761) ^ (index * 40503 + 1));
