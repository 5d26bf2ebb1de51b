/** ceil(log2(n)) for n >= 1 (clog2(1) = 0), as Verilog's $clog2. */
export function clog2(n: number): number {
  let b = 0;
  while (2 ** b < n) b++;
  return b;
}

/** Bits of a two's complement number holding every integer in [lo, hi]. */
export function signedBits(lo: number, hi: number): number {
  let b = 1;
  while (-(2 ** (b - 1)) > lo || 2 ** (b - 1) - 1 < hi) b++;
  return b;
}

export function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

/** Smallest d in [lo, hi] with pred(d) true for a non-decreasing pred, or hi + 1. */
export function firstTrue(lo: number, hi: number, pred: (d: number) => boolean): number {
  if (!pred(hi)) return hi + 1;
  let a = lo - 1; // pred(a) false (virtually)
  let b = hi; // pred(b) true
  while (b - a > 1) {
    const m = a + Math.floor((b - a) / 2);
    if (pred(m)) b = m;
    else a = m;
  }
  return b;
}
