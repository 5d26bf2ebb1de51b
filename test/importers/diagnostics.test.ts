/**
 * What the ONNX importers refuse, and how they say it: a diagnostic with a stable code, the node's
 * position, name and op type, a JSON pointer into the graph (/graph/node/<position>) and a hint.
 */
import { describe, expect, it } from 'vitest';
import { importOnnxBytes } from '../../src/frontend/importers/detect.js';
import type { ImportOptions } from '../../src/frontend/importers/common.js';
import { type Diagnostic, DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { GraphBuilder, INT64, f } from '../helpers/onnx-build.js';
import { FINN, finnMlp, qonnxMlp } from '../helpers/import-graphs.js';

function diag(bytes: Uint8Array, opts: ImportOptions = { inputType: 'uint8', inputDivisor: 255 }): Diagnostic {
  try {
    importOnnxBytes(bytes, 'g.onnx', opts);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error('expected a diagnostic');
}

/** input [1, 4] -> BipolarQuant -> MatMul(W) -> BN -> <middle> -> MatMul -> output */
function chain(middle: (g: GraphBuilder, x: string) => string, w: number[] = [1, -1, 1, 1, -1, -1, 1, -1, 1, 1, 1, -1]): Uint8Array {
  const g = new GraphBuilder(13, 't', { 'onnx.brevitas': 1, ...FINN });
  let x = g.input('x', [1, 4]);
  x = g.node('BipolarQuant', [x, g.init('s', [], [1])], {}, { domain: 'onnx.brevitas', name: 'q_in' });
  x = g.node('MatMul', [x, g.init('w', [4, 3], w)], {}, { name: 'fc0' });
  x = g.node('BatchNormalization', [x, g.init('g', [3], [1, -1, 1]), g.init('b', [3], [0, 0, 0]), g.init('m', [3], [0, 0, 0]), g.init('v', [3], [1, 1, 1])], { epsilon: f(1e-5) }, { name: 'bn0' });
  x = middle(g, x);
  x = g.node('MatMul', [x, g.init('w2', [3, 2], [1, -1, -1, 1, 1, 1])], {}, { name: 'fc1' });
  g.output(x, [1, 2]);
  return g.encode();
}

const bq = (g: GraphBuilder, x: string) => g.node('BipolarQuant', [x, g.init(g.t('s'), [], [1])], {}, { domain: 'onnx.brevitas', name: 'q1' });

describe('ONNX import diagnostics', () => {
  it('BNN202: an unsupported op, named with its position, op type and domain', () => {
    const d = diag(chain((g, x) => g.node('Relu', [x], {}, { name: 'relu0' })));
    expect(d).toMatchObject({ code: 'BNN202', pointer: '/graph/node/3', message: 'node 3 of 5 "relu0" (Relu): is not supported by bnn-hw' });
    expect(d.hint).toMatch(/BipolarQuant/);
    const custom = diag(chain((g, x) => g.node('StreamingFCLayer_Batch', [x], {}, { name: 'hls0', domain: 'finn.custom_op.fpgadataflow' })));
    expect(custom.message).toBe('node 3 of 5 "hls0" (StreamingFCLayer_Batch from finn.custom_op.fpgadataflow): is not supported by bnn-hw');
    const sign = diag(chain((g, x) => g.node('Sign', [x], {}, { name: 'sgn' })));
    expect(sign.hint).toMatch(/0 at 0/);
  });

  it('BNN204: weights that are not +-s per output', () => {
    const d = diag(chain(bq, [1, -1, 1, 1, 0.5, -1, 1, -1, 1, 1, 1, -1]));
    expect(d.code).toBe('BNN204');
    expect(d.pointer).toBe('/graph/node/1');
    expect(d.message).toBe('node 1 of 5 "fc0" (MatMul): the weights are not binary: output 1 has the values [-1, 0.5, 1], expected +s and -s only (s > 0)');
  });

  it('BNN227 / BNN228: two data tensors combined other than by a sum of two of one shape, a branch the output does not read', () => {
    // a shortcut subtracted instead of added
    const sub = diag(chain((g, x) => g.node('Sub', [bq(g, x), x], {}, { name: 'residual' })));
    expect(sub).toMatchObject({ code: 'BNN227', pointer: '/graph/node/4' });
    expect(sub.message).toMatch(/^node 4 of 6 "residual" \(Sub\): combines the data tensors "bipolarquant\d+", "batchnormalization\d+", which bnn-hw does not map$/);
    // a Sum of three
    const sum3 = diag(chain((g, x) => g.node('Sum', [bq(g, x), x, x], {}, { name: 'sum3' })));
    expect(sum3).toMatchObject({ code: 'BNN227', message: expect.stringMatching(/"sum3" \(Sum\): sums 3 tensors .* expected 2 data tensors$/) });
    // broadcasting: [1, 3] + [1, 1] (a ReduceMean-free stand-in: a MatMul to one unit)
    const bcast = diag(chain((g, x) => g.node('Add', [x, g.node('MatMul', [x, g.init('w1', [3, 1], [1, -1, 1])])], {}, { name: 'bcast' })));
    expect(bcast).toMatchObject({ code: 'BNN227', message: expect.stringMatching(/"bcast" \(Add\): sums .* of shapes \[1, 3\] and \[1, 1\], expected one shape \(no broadcasting\)$/) });
    // a side branch whose result nothing reads, after the output's last node
    const g = new GraphBuilder(13, 't');
    const x = g.input('x', [1, 4]);
    const y = g.node('MatMul', [x, g.init('w', [4, 2], [1, -1, 1, 1, -1, 1, 1, -1])], {}, { name: 'main' });
    g.node('MatMul', [x, g.init('w2', [4, 2], [1, 1, 1, 1, -1, -1, -1, -1])], {}, { name: 'side' });
    g.output(y, [1, 2]);
    expect(diag(g.encode())).toMatchObject({ code: 'BNN228', pointer: '/graph/output/0', message: expect.stringMatching(/ends in layer "side", which the output does not read/) });
  });

  it('BNN032: k-bit activations bnn-hw cannot represent (Quant: 9 bits, zero point, FLOOR; MultiThreshold: out_scale <= 0)', () => {
    const quant = (bits: number, zero: number, mode: string) =>
      diag(chain((g, x) => g.node('Quant', [x, g.init(g.t('qs'), [], [0.25]), g.init(g.t('qz'), [], [zero]), g.init(g.t('qb'), [], [bits])], { signed: 1, narrow: 0, rounding_mode: mode }, { domain: 'onnx.brevitas', name: 'q4' })));
    const hint = 'bnn-hw imports activation quantisers with 2..8 bits, one positive scale, zero point 0 and rounding_mode ROUND (1-bit activations: BipolarQuant)';
    expect(quant(9, 0, 'ROUND')).toEqual({ code: 'BNN032', pointer: '/graph/node/3', message: 'node 3 of 5 "q4" (Quant from onnx.brevitas): quantises activations to 9 bits, expected 2 to 8', hint });
    expect(quant(4, 1, 'ROUND').message).toBe('node 3 of 5 "q4" (Quant from onnx.brevitas): quantises activations with the zero point [1], expected 0');
    const unsignedNarrow = diag(chain((g, x) => g.node('Quant', [x, g.init(g.t('qs'), [], [0.25]), g.init(g.t('qz'), [], [0]), g.init(g.t('qb'), [], [3])], { signed: 0, narrow: 1, rounding_mode: 'ROUND' }, { domain: 'onnx.brevitas', name: 'q4' })));
    expect(unsignedNarrow).toMatchObject({ code: 'BNN032', message: 'node 3 of 5 "q4" (Quant from onnx.brevitas): quantises activations unsigned with narrow=1 (codes [0, 2^k - 2]), expected narrow=0 for an unsigned quantiser' });
    expect(quant(4, 0, 'FLOOR').message).toBe('node 3 of 5 "q4" (Quant from onnx.brevitas): quantises activations with rounding_mode "FLOOR", expected ROUND (half to even)');
    const mt = diag(chain((g, x) => g.node('MultiThreshold', [x, g.init('thr', [3, 3], [-1, 0, 1, -1, 0, 1, -1, 0, 1])], { out_scale: f(-1), out_bias: f(0) }, { domain: 'finn.custom_op.general', name: 'mt' })));
    expect(mt).toMatchObject({ code: 'BNN032', message: 'node 3 of 5 "mt" (MultiThreshold from finn.custom_op.general): has out_scale -1 and out_bias 0, expected out_scale > 0 and a finite out_bias' });
  });

  it('BNN221 per-pixel parameters, BNN203 grouped convolutions and padded pools', () => {
    const g = new GraphBuilder(13, 't', { 'onnx.brevitas': 1 });
    let x = g.input('x', [1, 2, 3, 3]);
    x = g.node('Mul', [x, g.init('pp', [1, 2, 3, 3], Array.from({ length: 18 }, (_, i) => i + 1))], {}, { name: 'perpixel' });
    g.output(x, [1, 2, 3, 3]);
    expect(diag(g.encode()).code).toBe('BNN221');
    expect(diag(g.encode()).message).toMatch(/"perpixel" \(Mul\): the Mul operand of shape \[1, 2, 3, 3\] varies across the pixels of channel 0/);
    const h = new GraphBuilder(13, 't', { 'onnx.brevitas': 1 });
    let y = h.input('x', [1, 2, 4, 4]);
    y = h.node('Conv', [y, h.init('w', [2, 1, 3, 3], Array.from({ length: 18 }, () => 1))], { group: 2, kernel_shape: [3, 3] }, { name: 'dw' });
    h.output(y, [1, 2, 2, 2]);
    expect(diag(h.encode()).code).toBe('BNN203');
    expect(diag(h.encode()).message).toMatch(/"dw" \(Conv\): is a grouped or depthwise convolution/);
    const k = new GraphBuilder(13, 't');
    let z = k.input('x', [1, 2, 4, 4]);
    z = k.node('MaxPool', [z], { kernel_shape: [2, 2], pads: [1, 1, 1, 1] }, { name: 'pool' });
    k.output(z, [1, 2, 5, 5]);
    expect(diag(k.encode()).code).toBe('BNN203');
    expect(diag(k.encode()).message).toMatch(/"pool" \(MaxPool\): pads the pool/);
  });

  it('BNN206: missing or contradicting input encodings', () => {
    const mlp = qonnxMlp({ seed: 1, input: [1, 2, 2], hidden: [3], classes: 2 });
    expect(diag(mlp, {}).code).toBe('BNN206');
    expect(diag(mlp, { inputType: 'uint7x' }).message).toMatch(/--input-type "uint7x" is not an input type/);
    expect(diag(mlp, { inputType: 'uint8', inputDivisor: 0 }).message).toBe('--input-divisor: expected a finite number > 0, found 0');
    const finn = finnMlp({ seed: 2, input: [1, 2, 2], hidden: 3, classes: 2 });
    expect(diag(finn, { inputType: 'uint8', inputDivisor: 255 }).message).toMatch(/annotated finn_datatype UINT8: the model already takes those integers/);
    expect(diag(finn, { output: 'scores' }).message).toMatch(/TopK.*--output scores/);
  });

  it('BNN207 (usage, exit 2): --input-divisor whose reciprocal is not a finite normal number, scaled inputs that overflow', () => {
    const mlp = qonnxMlp({ seed: 1, input: [1, 2, 2], hidden: [3], classes: 2 });
    const usage = (o: ImportOptions): Diagnostic & { exit: number } => {
      try {
        importOnnxBytes(mlp, 'g.onnx', o);
      } catch (e) {
        if (e instanceof DiagnosticError) return { ...e.diagnostics[0]!, exit: e.exitCode };
        throw e;
      }
      throw new Error('expected a diagnostic');
    };
    const range = 'expected a number between 5.6e-309 and 4.5e307 (its reciprocal 1 / d, the scale of the input layer, must be a finite, normal float64)';
    expect(usage({ inputType: 'uint8', inputDivisor: 1e-320 })).toEqual({
      code: 'BNN207', pointer: '', exit: 2,
      message: `--input-divisor: ${range}, found 1e-320 (1 / d = Infinity)`,
      hint: 'for example --input-divisor 255 (pixels scaled to [0, 1])',
    });
    expect(usage({ inputType: 'uint8', inputDivisor: 1e308 }).message).toBe(`--input-divisor: ${range}, found 1e+308 (1 / d = 1e-308)`);
    for (const d of [-1, NaN, Infinity, 5e-309]) expect(usage({ inputType: 'uint8', inputDivisor: d })).toMatchObject({ code: 'BNN207', exit: 2 });
    expect(usage({ inputType: 'uint8', inputDivisor: 255, inputOffset: NaN })).toMatchObject({ message: '--input-offset: expected a finite number, found NaN', exit: 2 });
    expect(usage({ inputType: 'uint32', inputDivisor: 1e-300 })).toMatchObject({
      exit: 2, message: '--input-divisor 1e-300: the input 4294967295 of --input-type uint32 becomes Infinity: expected every scaled input to be a finite number',
    });
    expect(usage({ inputType: 'uint8', inputDivisor: 2 ** -1000, inputOffset: -Number.MAX_VALUE })).toMatchObject({ code: 'BNN207', exit: 2 });
    // the extremes of the range import
    for (const d of [5.6e-309, 2 ** 1022, 1e-300]) {
      const r = importOnnxBytes(mlp, 'g.onnx', { inputType: 'uint1', inputDivisor: d });
      expect((r.model['layers'] as { scale?: number }[])[0]!.scale).toBe(1 / d);
    }
  });

  it('BNN201 / BNN205: missing tensors, two inputs, an output that is not the end of the chain', () => {
    const g = new GraphBuilder(13, 't');
    const x = g.input('x', [1, 4]);
    g.node('Mul', [x, 'nowhere'], {}, { name: 'm' });
    g.output('mul0', [1, 4]);
    expect(diag(g.encode())).toMatchObject({ code: 'BNN201', message: 'node 0 "m" (Mul) reads tensor "nowhere", which no node, initializer or graph input defines' });
    const two = new GraphBuilder(13, 't');
    two.input('a', [1, 4]);
    two.input('b', [1, 4]);
    two.output('a', [1, 4]);
    expect(diag(two.encode()).code).toBe('BNN205');
    const side = new GraphBuilder(13, 't');
    let y = side.input('x', [1, 4]);
    y = side.node('Mul', [y, side.init('two', [], [2])]);
    const shape = side.node('Shape', [y]);
    side.output(shape, [2]);
    expect(diag(side.encode()).message).toMatch(/the graph output "shape\d+" is not the end of the data path/);
  });

  it('an input Quant states the input type: fixed point for signed 2^-F scales, integers plus an affine otherwise', () => {
    const graph = (scale: number, signed: number) => {
      const g = new GraphBuilder(13, 't', { 'qonnx.custom_op.general': 1 });
      let x = g.input('x', [1, 4]);
      x = g.node('Quant', [x, g.init('qs', [], [scale]), g.init('qz', [], [0]), g.init('qb', [], [8])], { signed, narrow: 0, rounding_mode: 'ROUND' }, { domain: 'qonnx.custom_op.general' });
      x = g.node('MatMul', [x, g.init('w', [4, 2], [1, -1, 1, 1, -1, 1, 1, -1])]);
      g.output(x, [1, 2]);
      return g.encode();
    };
    const fixed = importOnnxBytes(graph(2 ** -7, 1), 'q.onnx', { output: 'scores' });
    expect(fixed.format).toBe('qonnx');
    expect(fixed.model['input']).toEqual({ shape: [4], type: { fixed: { bits: 8, frac: 7 } } });
    expect((fixed.model['layers'] as { type: string }[]).map((l) => l.type)).toEqual(['dense']);
    const scaled = importOnnxBytes(graph(0.1, 0), 'q.onnx', { output: 'scores' });
    expect(scaled.model['input']).toEqual({ shape: [4], type: 'uint8' });
    expect((scaled.model['layers'] as { type: string; scale?: number }[])[0]).toMatchObject({ type: 'affine', scale: Math.fround(0.1) });
    expect(diag(graph(1, 0), { inputType: 'uint8', inputDivisor: 255, output: 'scores' }).message).toMatch(/Quant_0.*quantises the graph input to uint8: the model already takes those integers/);
  });

  it('a vector reshaped to an image at the very start becomes the input image', () => {
    const g = new GraphBuilder(13, 't', { 'onnx.brevitas': 1 });
    let x = g.input('x', [1, 16]);
    x = g.node('Reshape', [x, g.init('sh', [4], [1, 1, 4, 4], INT64)]);
    x = g.node('BipolarQuant', [x, g.init('s', [], [1])], {}, { domain: 'onnx.brevitas' });
    x = g.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
    g.output(x, [1, 1, 2, 2]);
    const r = importOnnxBytes(g.encode(), 'v.onnx', { inputType: 'int8', output: 'scores' });
    expect((r.model['input'] as { shape: number[] }).shape).toEqual([4, 4, 1]);
  });
});
