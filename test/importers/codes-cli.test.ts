/**
 * Every importer refusal has its own code (issue 11): one hand-built bad ONNX graph or Keras file per
 * code, imported through the CLI as users run it (`bnn-hw import bad.onnx -o out.json`). Each must exit
 * 1 with `error[<code>]`, a hint and no stack trace, and leave the folder exactly as it was (no output
 * file, no temporary file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, snapshot } from '../cli/helpers.js';
import { GraphBuilder, f } from '../helpers/onnx-build.js';
import { type KLayer, writeKerasH5 } from '../helpers/keras-h5.js';
import { FINN } from '../helpers/import-graphs.js';

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bnn-hw-import-codes-'));
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const W8 = [1, -1, 1, 1, -1, -1, 1, -1];
const INT8_ONNX = 3;

/** input [1, 4] -> BipolarQuant -> <middle> -> MatMul [k, 2] -> output */
function vector(middle: (g: GraphBuilder, x: string) => string, k = 4, input: (number | string)[] = [1, 4]): Uint8Array {
  const g = new GraphBuilder(13, 't', { 'onnx.brevitas': 1, ...FINN });
  let x = g.input('x', input);
  x = g.node('BipolarQuant', [x, g.init('s', [], [1])], {}, { domain: 'onnx.brevitas', name: 'q_in' });
  x = middle(g, x);
  x = g.node('MatMul', [x, g.init('w', [k, 2], Array.from({ length: 2 * k }, (_, i) => W8[i % 8]!))], {}, { name: 'fc' });
  g.output(x, [1, 2]);
  return g.encode();
}

/** input [1, 2, 4, 4] -> <body> -> output */
function image(body: (g: GraphBuilder, x: string) => string): Uint8Array {
  const g = new GraphBuilder(13, 't', { 'onnx.brevitas': 1 });
  const x = body(g, g.input('x', [1, 2, 4, 4]));
  g.output(x, [1, 32]);
  return g.encode();
}

const CASES: { code: string; what: string; file: () => Uint8Array | Promise<string>; message: RegExp }[] = [
  {
    code: 'BNN203', what: 'a grouped convolution (an attribute value)',
    file: () => image((g, x) => g.node('Conv', [x, g.init('cw', [2, 1, 3, 3], Array.from({ length: 18 }, () => 1))], { group: 2, kernel_shape: [3, 3] }, { name: 'dw' })),
    message: /"dw" \(Conv\): is a grouped or depthwise convolution/,
  },
  {
    code: 'BNN215', what: 'a divisor computed from the data',
    file: () => vector((g, x) => g.node('Div', [g.init('one', [], [1]), x], {}, { name: 'inv' })),
    message: /"inv" \(Div\): divides a constant by the data/,
  },
  {
    code: 'BNN216', what: 'weights that do not fit the data',
    file: () => vector((_g, x) => x, 3),
    message: /"fc" \(MatMul\): multiplies data of shape \[1, 4\] by weights of shape \[3, 2\]/,
  },
  {
    code: 'BNN217', what: 'a reshape that rearranges the image (NCHW to NHWC)',
    file: () => image((g, x) => g.node('Reshape', [x, g.init('sh', [4], [1, 4, 4, 2], 7)], {}, { name: 'to_nhwc' })),
    message: /"to_nhwc" \(Reshape\): reshapes the image \[1, 2, 4, 4\] to \[1, 4, 4, 2\]/,
  },
  {
    code: 'BNN218', what: 'a graph input with a symbolic feature dimension',
    file: () => vector((_g, x) => x, 4, ['N', 'features']),
    message: /dimension 1 of the graph input "x" is symbolic \("features"\)/,
  },
  {
    code: 'BNN032', what: 'a 9-bit Quant on activations',
    file: () => vector((g, x) => g.node('Quant', [x, g.init('qs', [], [0.25]), g.init('qz', [], [0]), g.init('qb', [], [9])], { signed: 1, narrow: 0 }, { domain: 'onnx.brevitas', name: 'q9' })),
    message: /"q9" \(Quant from onnx.brevitas\): quantises activations to 9 bits, expected 2 to 8/,
  },
  {
    code: 'BNN032', what: 'a MultiThreshold with a negative out_scale',
    file: () => vector((g, x) => g.node('MultiThreshold', [x, g.init('thr', [4, 3], Array.from({ length: 12 }, (_, i) => (i % 3) - 1))], { out_scale: f(-1), out_bias: f(0) }, { domain: 'finn.custom_op.general', name: 'mt' })),
    message: /"mt" \(MultiThreshold from finn.custom_op.general\): has out_scale -1 and out_bias 0/,
  },
  {
    code: 'BNN220', what: 'a MatMul after the Softmax',
    file: () => vector((g, x) => g.node('Softmax', [x], { axis: -1 }, { name: 'sm' })),
    message: /"fc" \(MatMul\): follows the Softmax/,
  },
  {
    code: 'BNN221', what: 'a per-pixel scale',
    file: () => image((g, x) => g.node('Mul', [x, g.init('pp', [1, 2, 4, 4], Array.from({ length: 32 }, (_, i) => i + 1))], {}, { name: 'perpixel' })),
    message: /"perpixel" \(Mul\): the Mul operand of shape \[1, 2, 4, 4\] varies across the pixels of channel 0/,
  },
  {
    code: 'BNN222', what: 'a cast of the data to INT8',
    file: () => vector((g, x) => g.node('Cast', [x], { to: INT8_ONNX }, { name: 'c8' })),
    message: /"c8" \(Cast\): casts the data to INT8/,
  },
  {
    code: 'BNN223', what: 'a Larq input_quantizer that is not a sign',
    file: () => keras('inq.h5', { input_quantizer: 'ste_tern', kernel_quantizer: 'ste_sign' }),
    message: /input_quantizer is "ste_tern"/,
  },
  {
    code: 'BNN224', what: 'a Larq kernel_quantizer that scales the sign',
    file: () => keras('kq.h5', { input_quantizer: 'ste_sign', kernel_quantizer: 'magnitude_aware_sign' }),
    message: /kernel_quantizer is "magnitude_aware_sign"/,
  },
  {
    code: 'BNN226', what: 'a Larq DoReFa input_quantizer in weights mode',
    file: () => keras('dorefa.h5', { input_quantizer: { class_name: 'DoReFa', config: { k_bit: 2, mode: 'weights' } }, kernel_quantizer: 'ste_sign' }),
    message: /input_quantizer DoReFa has mode "weights"/,
  },
];

async function keras(name: string, q: Record<string, unknown>): Promise<string> {
  const layers: KLayer[] = [{ cls: 'QuantDense', name: 'qd', cfg: { units: 2, use_bias: false, ...q }, weights: { kernel: { shape: [4, 2], data: W8 } } }];
  const path = join(root, name);
  await writeKerasH5(path, layers, { inputShape: [4] });
  return path;
}

describe('bnn-hw import: a distinct code for each kind of refusal', () => {
  it.each(CASES.map((c, i) => [c.code, c.what, i] as const))('%s: %s', async (code, _what, i) => {
    const c = CASES[i]!;
    const made = c.file();
    const src = typeof made === 'string' || made instanceof Promise ? await made : null;
    const dir = join(root, `case${i}`);
    mkdirSync(dir);
    const file = src ?? join(dir, 'bad.onnx');
    if (!src) writeFileSync(file, made as Uint8Array);
    const before = snapshot(dir);
    const r = cli(dir, ['import', file, '--input-type', 'int8', '-o', 'out.json']);
    expect(r.stderr).toMatch(new RegExp(`^error\\[${code}\\]: `));
    expect(r.stderr).toMatch(c.message);
    expect(r.stderr).toMatch(/\n {2}hint: \S/);
    expect(r.stderr).not.toMatch(/^ {4}at /m);
    expect(r.status).toBe(1);
    expect(snapshot(dir)).toEqual(before);
  });
});
