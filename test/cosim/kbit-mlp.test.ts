/**
 * A seeded sweep of small random W1Ak MLPs (issue 12): quant (2..4 and 8 bits, signed / unsigned /
 * narrow) and multithreshold activations between dense layers, sign layers mixed in, binarised and
 * quantised inputs, with random foldings, through the TypeScript cycle model, Icarus and Verilator with
 * input gaps and backpressure, against the integer reference.
 */
import { describe, expect, it } from 'vitest';
import { loadModelValue } from '../../src/frontend/load.js';
import { verify } from '../../src/flows/verify.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { linearStages } from '../../src/ir/types.js';
import { divisors } from '../../src/passes/folding.js';
import { mlpJson, type InputTypeJson } from '../../src/examples/seeded-models.js';
import { multiBitJson } from '../../src/examples/seeded-multibit.js';
import { Prng } from '../../src/util/prng.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTools } from '../helpers/tools.js';

const has = requireTools('iverilog', 'vvp', 'verilator');
const TYPES: InputTypeJson[] = ['uint8', 'int4', 'bipolar', { fixed: { bits: 8, frac: 7 } }, 'uint3'];
/** quant bit widths the sweep pins, one per seed in turn */
const BITS = [2, 3, 4, 8];

type Json = Record<string, unknown>;

/** A random k-bit MLP of the sweep: every quant gets the seed's bit width. */
export function kbitMlp(seed: number): Json {
  const rng = new Prng(seed * 7919);
  const inputType = TYPES[seed % TYPES.length]!;
  const base = mlpJson({
    name: `kb${seed}`, seed, inputs: rng.int(2, 40), widths: Array.from({ length: rng.int(1, 3) }, () => rng.int(1, 24)), classes: rng.int(2, 12),
    inputType, binarizeInput: inputType !== 'bipolar' && rng.bool(0.4), lastBn: rng.bool(), output: rng.bool(0.7) ? 'argmax' : 'scores',
    bn: { negGamma: 0.3, zeroGamma: 0.1, tie: 0.3 }, bias: rng.bool(0.3),
  });
  const m = multiBitJson(base, seed, { kbit: 0.7, inputQuant: 0.5 });
  const bits = BITS[seed % BITS.length]!;
  // index 0: a quantiser on the raw input, whose scale was chosen for its own bit width
  (m['layers'] as Json[]).forEach((l, i) => {
    if (l['type'] === 'quant' && i > 0) l['bits'] = bits;
  });
  return m;
}

/** What a model of the sweep holds (to check the sweep covers what it says). */
function traits(m: Json): string[] {
  const layers = m['layers'] as Json[];
  const t = new Set<string>();
  for (const l of layers) {
    if (l['type'] === 'quant') t.add(`quant${l['bits']}${l['signed'] ? 's' : 'u'}${l['narrow'] ? 'n' : ''}`);
    if (l['type'] === 'multithreshold') t.add('multithreshold');
  }
  const first = layers.findIndex((l) => l['type'] === 'dense');
  const pre = layers.slice(0, first).find((l) => l['type'] === 'sign' || l['type'] === 'quant' || l['type'] === 'multithreshold');
  if (pre) t.add(pre['type'] === 'sign' ? 'binarised input' : 'quantised input');
  if (layers.slice(first).some((l) => l['type'] === 'sign')) t.add('sign');
  return [...t];
}

/** seeds picked to cover the traits below in few runs (each takes 20..100 s in the three simulators) */
const SEEDS = [1, 2, 3, 4, 8, 10];

describe('the k-bit MLP sweep', () => {
  it('covers k = 2..4 and 8, signed / unsigned / narrow, multithreshold, sign layers, binarised and quantised inputs', () => {
    const all = new Set(SEEDS.flatMap((s) => traits(kbitMlp(s))));
    const has = (p: RegExp) => [...all].some((t) => p.test(t));
    for (const p of [/^quant2/, /^quant3/, /^quant4/, /^quant8/, /^quant\ds$/, /^quant\du$/, /n$/, /^multithreshold$/, /^sign$/, /^binarised input$/, /^quantised input$/]) expect(has(p), `${p} in ${[...all].join(', ')}`).toBe(true);
  });
});

describe.skipIf(!has)('random W1Ak MLPs through the RTL', () => {
  for (const seed of SEEDS) {
    it(`random k-bit MLP #${seed}`, async () => {
      const rng = new Prng(seed * 101);
      const model = loadModelValue(kbitMlp(seed));
      // small PE / SIMD keep the 8-bit layers (255 comparators per PE) quick to build in the simulators
      const layers = linearStages(compileIr(model)).map((l) => ({ pe: rng.pick(divisors(l.mh).filter((d) => d <= 4)), simd: rng.pick(divisors(l.mw).filter((d) => d <= 16)) }));
      const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-fold-'));
      writeFileSync(join(dir, 'fold.json'), JSON.stringify({ layers }));
      const r = await verify(model, { fold: join(dir, 'fold.json'), simulators: ['icarus', 'verilator', 'ts'], vectors: 6, seed, stall: 0.3, progress: () => {} });
      expect(r.mismatches, JSON.stringify(r.simulators)).toBe(0);
      expect(r.timingMismatch, JSON.stringify({ plan: r.plan, sims: r.simulators })).toEqual([]);
      expect(r.handshakeMismatch).toEqual([]);
    }, 600_000);
  }
});
