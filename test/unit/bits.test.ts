/**
 * The compact bit matrix (src/util/bits.ts) against a naive model: a matrix as an array of rows of
 * 0/1 numbers, its $readmemh text and column statistics computed the obvious way. Seeded random
 * shapes cover rows and columns that are not multiples of 4, 16 or 32, single rows and columns.
 */
import { describe, expect, it } from 'vitest';
import { BitMatrix } from '../../src/util/bits.js';
import { Prng } from '../../src/util/prng.js';
import { weightRom, weightMem } from '../../src/blocks/memfiles.js';
import type { MvtuBlock } from '../../src/blocks/types.js';

type Naive = number[][];

function randomNaive(rng: Prng, rows: number, cols: number, density: number): Naive {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rng.bool(density) ? 1 : 0)));
}

/** One row as hex digits, most significant first, at least one digit. */
function naiveHexRow(row: number[]): string {
  const digits = Math.max(1, Math.ceil(row.length / 4));
  let s = '';
  for (let d = digits - 1; d >= 0; d--) {
    let v = 0;
    for (let b = 0; b < 4; b++) if (row[4 * d + b]) v += 2 ** b;
    s += '0123456789abcdef'[v];
  }
  return s;
}

const naiveHex = (m: Naive): string => m.map((r) => naiveHexRow(r) + '\n').join('');
const column = (m: Naive, c: number): string => m.map((r) => r[c]).join('');
const varying = (m: Naive, cols: number): string[] =>
  Array.from({ length: cols }, (_, c) => column(m, c)).filter((s) => s.includes('0') && s.includes('1'));

const SHAPES: [number, number][] = [[1, 1], [1, 37], [37, 1], [2, 3], [5, 4], [16, 16], [17, 31], [33, 32], [31, 65], [64, 7], [100, 129]];

describe('BitMatrix equals the naive matrix', () => {
  it('get, hex image, row / column popcounts, varying and distinct columns on seeded random matrices', () => {
    const rng = new Prng(20261203);
    let cases = 0;
    for (const [rows, cols] of SHAPES) {
      for (const density of [0, 0.03, 0.5, 0.97, 1]) {
        const naive = randomNaive(rng, rows, cols, density);
        // a few repeated columns so that "distinct" differs from "varying"
        if (cols > 3) for (const r of naive) r[cols - 1] = r[0]!;
        const m = BitMatrix.fromBits(naive.flat(), rows, cols);
        const what = `${rows}x${cols} density ${density}`;
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expect(m.get(r, c), what).toBe(naive[r]![c]);
        expect(m.hexImage().toString('latin1'), what).toBe(naiveHex(naive));
        expect(Array.from(m.rowPopcounts()), what).toEqual(naive.map((r) => r.reduce((a, b) => a + b, 0)));
        expect(Array.from(m.columnPopcounts()), what).toEqual(Array.from({ length: cols }, (_, c) => naive.reduce((a, r) => a + r[c]!, 0)));
        const v = varying(naive, cols);
        expect(m.varyingColumns(), what).toBe(rows === 1 ? 0 : v.length);
        expect(m.distinctVaryingColumns(), what).toBe(rows === 1 ? 0 : new Set(v).size);
        expect(BitMatrix.fromHex(naiveHex(naive), cols).data, what).toEqual(m.data);
        // 0/1 bytes: the word-at-a-time path (aligned) and the plain one (unaligned view)
        expect(BitMatrix.fromBits(Uint8Array.from(naive.flat()), rows, cols).data, what).toEqual(m.data);
        const shifted = new Uint8Array(rows * cols + 1);
        shifted.set(naive.flat(), 1);
        expect(BitMatrix.fromBits(shifted.subarray(1), rows, cols).data, what).toEqual(m.data);
        cases++;
      }
    }
    expect(cases).toBe(SHAPES.length * 5);
  });

  it('set clears and sets single bits without touching the neighbours', () => {
    const m = new BitMatrix(3, 33);
    m.set(1, 31, 1);
    m.set(1, 32, 1);
    m.set(2, 0, 1);
    m.set(1, 32, 0);
    const ones: string[] = [];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 33; c++) if (m.get(r, c)) ones.push(`${r},${c}`);
    expect(ones).toEqual(['1,31', '2,0']);
  });

  it('fromHex ignores bits beyond the width and blank lines', () => {
    const m = BitMatrix.fromHex('f\n\n1\n', 3);
    expect(m.rows).toBe(2);
    expect([m.get(0, 0), m.get(0, 1), m.get(0, 2), m.get(1, 0), m.get(1, 1), m.get(1, 2)]).toEqual([1, 1, 1, 1, 0, 0]);
  });
});

describe('weight ROM (memfiles.weightRom)', () => {
  it('word nf*SF + sf, bit k*SIMD + i holds the weight of neuron nf*PE + k, input sf*SIMD + i', () => {
    const rng = new Prng(7);
    for (const [mh, mw, pe, simd] of [[6, 10, 3, 5], [4, 64, 2, 32], [5, 7, 5, 7], [8, 12, 1, 1], [3, 96, 3, 48]] as const) {
      const weights = Uint8Array.from({ length: mh * mw }, () => (rng.bool() ? 1 : 0));
      const b = { pe, simd, sf: mw / simd, nf: mh / pe, stage: { weights, mw, mh } } as unknown as MvtuBlock;
      const words: Naive = [];
      for (let f = 0; f < mh / pe; f++) {
        for (let s = 0; s < mw / simd; s++) {
          const row: number[] = [];
          for (let k = 0; k < pe; k++) for (let i = 0; i < simd; i++) row.push(weights[(f * pe + k) * mw + s * simd + i]!);
          words.push(row);
        }
      }
      expect(weightMem(b).toString('latin1')).toBe(naiveHex(words));
      // cached: the same matrix for the same weights and folding
      expect(weightRom(b)).toBe(weightRom(b));
    }
  });
});
