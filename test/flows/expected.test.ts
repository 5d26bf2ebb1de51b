/**
 * Expected outputs computed once, with the integer engine, frame by frame: the seeded vectors, the
 * expected outputs against the float reference, the on-demand input beats, and simulate's check
 * (a wrong expectation must count as a mismatch).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelFile } from '../../src/frontend/load.js';
import { FrameBeats, expectedBeats, expectedOutputs, seededCodes, seededFrames } from '../../src/flows/expected.js';
import { inputBeats, outputBeats } from '../../src/flows/stimulus.js';
import { planDesign } from '../../src/flows/build.js';
import { runInference } from '../../src/api/infer.js';
import * as integer from '../../src/reference/integer.js';
import { simulateModel } from '../../src/flows/simulate.js';

const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));
const tfc = loadModelFile(join(EXAMPLES, 'tfc.json'));
const fold = join(EXAMPLES, 'folds', 'tfc-finn.json');

vi.mock('../../src/reference/integer.js', async (orig) => {
  const m = await orig<typeof import('../../src/reference/integer.js')>();
  return { ...m, inferInteger: vi.fn(m.inferInteger) };
});

afterEach(() => {
  vi.mocked(integer.inferInteger).mockClear();
});

describe('expected outputs', () => {
  it('seeded frames one by one are the seeded vectors', () => {
    const next = seededFrames(tfc, 7);
    const codes = seededCodes(tfc, 5, 7);
    expect(Array.from({ length: 5 }, next)).toEqual(codes);
    expect(new Set(codes.map((c) => c.join(','))).size).toBe(5);
  });

  it('equal the float reference on the examples', () => {
    for (const name of ['tfc', 'sfc']) {
      const model = loadModelFile(join(EXAMPLES, `${name}.json`));
      const { plan } = planDesign(model, { sizeFifos: false });
      const codes = seededCodes(model, 20, 3);
      expect(expectedOutputs(model, plan, codes).outputs, name).toEqual(runInference(model, codes, 'float'));
    }
  });

  it('input beats on demand: in order, each frame made once', () => {
    const { plan } = planDesign(tfc, { fold, sizeFifos: false });
    const codes = seededCodes(tfc, 3, 1);
    const seen: number[] = [];
    const src = new FrameBeats(plan, 3, (f) => codes[f]!, (_, f) => seen.push(f));
    const want = codes.flatMap((c) => inputBeats(plan, c));
    expect(src.length).toBe(want.length);
    const got = [];
    for (let i = 0; i < src.length; i++) got.push(src.at(i), src.at(i)); // the simulator rereads a pending beat
    expect(got.filter((_, k) => k % 2 === 0)).toEqual(want);
    expect(seen).toEqual([0, 1, 2]);
    expect(src.at(src.length)).toBeUndefined();
    expect(() => src.at(0)).toThrow(/out of order/);
  });

  it('expected beats of a frame are its label or scores as the output stream carries them', () => {
    const { plan } = planDesign(tfc, { sizeFifos: false });
    const [c] = seededCodes(tfc, 1, 9);
    expect(expectedBeats(plan, c!)).toEqual(outputBeats(plan, runInference(tfc, [c!], 'float')[0] as number, []));
  });
});

describe('simulate checks every frame once against the integer engine', () => {
  it('computes each frame once and counts a wrong expectation as a mismatch', async () => {
    const ok = simulateModel(tfc, { fold, vectors: 6, seed: 2, stall: 0.2 });
    expect(ok.mismatches).toBe(0);
    expect(vi.mocked(integer.inferInteger)).toHaveBeenCalledTimes(6);
    // frame 4's expectation off by one class: exactly one mismatch, the outputs still the hardware's
    const real = await vi.importActual<typeof integer>('../../src/reference/integer.js');
    let calls = 0;
    vi.mocked(integer.inferInteger).mockImplementation((ir, codes) => {
      const out = real.inferInteger(ir, codes);
      return calls++ === 4 ? { ...out, output: ((out.output as number) + 1) % 10 } : out;
    });
    const bad = simulateModel(tfc, { fold, vectors: 6, seed: 2, stall: 0.2 });
    expect(bad.mismatches).toBe(1);
    expect(bad.outputs).toEqual(ok.outputs);
  });
});
