/** FINN's published MVAU estimate formulas (../shared/REFERENCE.md section 6), worked TFC-w1a1 example. */
import { describe, expect, it } from 'vitest';
import { finnAccBits, finnBram18, finnMvau } from '../../src/estimate/finn.js';

describe('FINN MVAU formulas (--model finn)', () => {
  it('reproduce the worked TFC-w1a1 numbers: BRAM18 22/2/2/0, LUT 5632/775/775/974', () => {
    const layers = [
      { name: 'fc0', mw: 784, mh: 64, pe: 16, simd: 49, ramStyle: 'block' as const },
      { name: 'fc1', mw: 64, mh: 64, pe: 8, simd: 8, ramStyle: 'auto' as const },
      { name: 'fc2', mw: 64, mh: 64, pe: 8, simd: 8, ramStyle: 'auto' as const },
      { name: 'fc3', mw: 64, mh: 10, pe: 10, simd: 8, ramStyle: 'distributed' as const },
    ].map((l) => finnMvau({ ...l, a: 1, signedInput: true }));
    expect(layers.map((l) => l.bram18)).toEqual([22, 2, 2, 0]);
    expect(layers.map((l) => l.lut)).toEqual([5632, 775, 775, 974]);
    expect(layers.map((l) => l.omega)).toEqual([64, 64, 64, 8]);
  });

  it('BRAM18 by word width follows the published cases', () => {
    expect(finnBram18(20000, 1, 'auto', 'internal_decoupled')).toBe(2);
    expect(finnBram18(9000, 2, 'auto', 'internal_decoupled')).toBe(2);
    expect(finnBram18(4096, 4, 'auto', 'internal_decoupled')).toBe(1);
    expect(finnBram18(2048, 9, 'auto', 'internal_decoupled')).toBe(1);
    expect(finnBram18(1024, 18, 'auto', 'internal_decoupled')).toBe(1);
    expect(finnBram18(600, 40, 'auto', 'internal_decoupled')).toBe(3);
    expect(finnBram18(400, 40, 'auto', 'internal_decoupled')).toBe(2);
    expect(finnBram18(512, 72, 'auto', 'internal_decoupled')).toBe(2);
    expect(finnBram18(512, 72, 'distributed', 'internal_decoupled')).toBe(0);
    expect(finnBram18(100, 72, 'auto', 'internal_embedded')).toBe(0);
  });

  it('accumulator width is FINN\'s minimal bound (11 bits for 784 binary inputs, 8 for 64)', () => {
    expect(finnAccBits(784, 1, 1, true)).toBe(11);
    expect(finnAccBits(64, 1, 1, true)).toBe(8);
  });
});
