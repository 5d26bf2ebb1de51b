/**
 * Seeded valid / ready patterns shared by the RTL testbench and the TypeScript simulator (cycle c uses
 * pattern[c mod length]).
 */
import { Prng } from '../util/prng.js';

export interface Patterns {
  valid: Uint8Array;
  ready: Uint8Array;
}

export const PATTERN_LENGTH = 4096;

/** With probability p per cycle: an input gap, and independently an output tready deassertion. */
export function stallPatterns(p: number, seed: number): Patterns {
  if (p <= 0) return { valid: Uint8Array.of(1), ready: Uint8Array.of(1) };
  const rng = new Prng(seed ^ 0x5a17);
  const valid = new Uint8Array(PATTERN_LENGTH);
  const ready = new Uint8Array(PATTERN_LENGTH);
  for (let c = 0; c < PATTERN_LENGTH; c++) {
    valid[c] = rng.next() < p ? 0 : 1;
    ready[c] = rng.next() < p ? 0 : 1;
  }
  return { valid, ready };
}
