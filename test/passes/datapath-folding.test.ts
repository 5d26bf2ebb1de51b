/**
 * A folding file may name the datapath of an integer-input layer ("datapath": "addsub" | "bitplane");
 * bad values are BNN052, a datapath the layer cannot have is BNN053; without it the choice rule decides.
 */
import { describe, expect, it } from 'vitest';
import { loadModelValue } from '../../src/frontend/load.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { parseFolding } from '../../src/passes/folding.js';
import { plan } from '../../src/passes/plan.js';
import { mlpJson, type InputTypeJson } from '../../src/examples/seeded-models.js';
import { diagnostics } from '../helpers/diagnostics.js';

const ir = (inputType: InputTypeJson, binarizeInput = false) =>
  compileIr(loadModelValue(mlpJson({ name: 'dp', seed: 3, inputs: 16, widths: [8], classes: 4, inputType, binarizeInput, output: 'argmax' })));
const datapathOf = (r: ReturnType<typeof ir>, fold: unknown) => {
  const b = plan(r, parseFolding(fold, r)).blocks.find((x) => x.kind === 'mvu_int');
  return b && b.kind === 'mvu_int' ? b.datapath : null;
};

describe('"datapath" in a folding file', () => {
  it('chooses the datapath of the first layer; absent, the choice rule does', () => {
    const r = ir('uint8');
    expect(datapathOf(r, { layers: [{ pe: 2, simd: 4, datapath: 'bitplane' }, { pe: 1, simd: 8 }] })).toBe('bitplane');
    expect(datapathOf(r, { layers: { fc0: { pe: 2, simd: 4 }, fc1: { pe: 1, simd: 8 } } })).toBe('addsub');
    const r3 = ir('int3');
    expect(datapathOf(r3, { layers: [{ pe: 2, simd: 16 }, { pe: 1, simd: 8 }] })).toBe('bitplane');
    // codes of at most 4 bits take the bit-plane datapath at every SIMD (docs/kbit-datapath.md), wider ones add/subtract
    expect(datapathOf(r3, { layers: [{ pe: 2, simd: 4 }, { pe: 1, simd: 8 }] })).toBe('bitplane');
    expect(datapathOf(ir('int5'), { layers: [{ pe: 2, simd: 16 }, { pe: 1, simd: 8 }] })).toBe('addsub');
    expect(datapathOf(r3, { layers: { fc0: { pe: 2, simd: 4, datapath: 'addsub' }, fc1: { pe: 1, simd: 8 } } })).toBe('addsub');
  });

  it('an unknown value is BNN052 at its pointer', () => {
    const r = ir('uint8');
    const [d] = diagnostics(() => parseFolding({ layers: [{ pe: 2, simd: 4, datapath: 'bit-plane' }, { pe: 1, simd: 8 }] }, r));
    expect(d!.code).toBe('BNN052');
    expect(d!.pointer).toBe('/layers/0/datapath');
  });

  it('on a binary-input layer, or bit-plane on codes wider than 16 bits, is BNN053', () => {
    const r = ir('uint8');
    const [d] = diagnostics(() => parseFolding({ layers: [{ pe: 2, simd: 4 }, { pe: 1, simd: 8, datapath: 'addsub' }] }, r));
    expect(d!.code).toBe('BNN053');
    expect(d!.pointer).toBe('/layers/1/datapath');
    const rb = ir('uint8', true);
    expect(diagnostics(() => parseFolding({ layers: [{ pe: 2, simd: 4, datapath: 'bitplane' }, { pe: 1, simd: 8 }] }, rb))[0]!.code).toBe('BNN053');
    const r20 = ir('int20');
    const [w] = diagnostics(() => datapathOf(r20, { layers: [{ pe: 2, simd: 4, datapath: 'bitplane' }, { pe: 1, simd: 8 }] }));
    expect(w!.code).toBe('BNN053');
    expect(w!.pointer).toBe('/layers/0/datapath');
    expect(datapathOf(r20, { layers: [{ pe: 2, simd: 4 }, { pe: 1, simd: 8 }] })).toBe('addsub');
  });
});
