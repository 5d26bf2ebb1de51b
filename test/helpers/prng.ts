/** Small seeded PRNG (mulberry32) and helpers for reproducible test stimuli. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    if (hi < lo) throw new Error(`Prng.int: empty range [${lo}, ${hi}]`);
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** True with probability p. */
  bool(p = 0.5): boolean {
    return this.float() < p;
  }

  /** Uniform random unsigned value of `width` bits. */
  bits(width: number): bigint {
    let v = 0n;
    for (let done = 0; done < width; done += 32) {
      const take = Math.min(32, width - done);
      const chunk = take === 32 ? this.u32() : (this.u32() & ((1 << take) - 1)) >>> 0;
      v |= BigInt(chunk >>> 0) << BigInt(done);
    }
    return v;
  }

  /** Random element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Prng.pick: empty array');
    return items[this.int(0, items.length - 1)] as T;
  }
}
