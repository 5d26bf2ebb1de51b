/**
 * A bipolar (-1/+1) input binarised again by batchnorm / affine + sign: the integer engine once fed
 * the binariser bits 0/1 against thresholds on the codes -1/+1 (float -2, integer 2 on the model
 * below). Expected values are worked by hand; the hardware is checked in Icarus, Verilator and TS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { infer } from '../../src/api/index.js';
import { cli } from '../cli/helpers.js';

const model = (scale: number[], bias: number[], weights: number[][]) => ({
  format: 'bnn-hw/model@1',
  name: 'bip',
  input: { shape: [scale.length], type: 'bipolar' },
  layers: [{ type: 'affine', scale, bias }, { type: 'sign' }, { type: 'dense', units: weights.length, weights }],
  output: 'scores',
});

// x + 0.5 keeps the sign of a -1/+1 input; the dense layer sums the two signs
const small = model([1, 1], [0.5, 0.5], [[1, 1]]);
// negative, zero and large gains; biases that flip, keep or saturate the sign
const mixed = model([1, -1, 0, 2, -0.5, 1], [0.5, 0.5, 0, -1, 0, -1.5], [[1, 1, -1, 1, 1, -1], [1, -1, -1, 1, -1, 1], [-1, 1, 1, 1, 1, 1]]);
const all6 = Array.from({ length: 64 }, (_, i) => [0, 1, 2, 3, 4, 5].map((b) => ((i >> b) & 1 ? 1 : -1)));

/** sign(v) with sign(0) = +1, the format's convention */
const sgn = (v: number) => (v >= 0 ? 1 : -1);
function byHand(x: number[]): number[] {
  const a = [sgn(x[0]! + 0.5), sgn(-x[1]! + 0.5), sgn(0), sgn(2 * x[3]! - 1), sgn(-0.5 * x[4]!), sgn(x[5]! - 1.5)];
  return (mixed.layers[2] as { weights: number[][] }).weights.map((w) => w.reduce((s, wi, i) => s + wi * a[i]!, 0));
}

describe('a bipolar input binarised by affine + sign', () => {
  it('both engines give the hand-worked scores', () => {
    for (const engine of ['float', 'integer'] as const) {
      expect(infer(small, [[-1, -1], [1, -1], [-1, 1], [1, 1]], { engine }).outputs).toEqual([[-2], [0], [0], [2]]);
      expect(infer(mixed, all6, { engine }).outputs).toEqual(all6.map(byHand));
    }
  });

  const dir = mkdtempSync(join(tmpdir(), 'bnn-bipolar-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('the hardware agrees in Icarus, Verilator and the TS model', () => {
    writeFileSync(join(dir, 'm.json'), JSON.stringify(mixed));
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ inputs: all6 }));
    const r = cli(dir, ['verify', 'm.json', '--input', 'in.json', '--simulator', 'all', '-o', 'out']);
    expect(r.stdout).toMatch(/\nPASS\s*$/);
    expect(r.status).toBe(0);
  }, 300_000);
});
