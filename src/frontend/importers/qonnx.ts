/**
 * QONNX (Brevitas export_qonnx): the quantisation ops.
 *   BipolarQuant(x, scale) = scale * (x >= 0 ? +1 : -1)  (sign(0) = +1)
 *     on weights: folded (the binary weights with their per-output scale);
 *     on the data: a sign layer; a positive scalar scale is carried to the next linear layer
 *     (W (s x) = s (W x)) and applied there as an affine.
 *   Quant / IntQuant(x, scale, zeropt, bitwidth; signed, narrow, rounding_mode)
 *     = scale * (clip(round(x / scale + zeropt)) - zeropt)
 *     on weights: folded; on the data where it fixes the integer type of the graph input (no
 *     arithmetic between the input and the Quant): the model then takes the integer codes; on other
 *     activations: a k-bit quant layer (kbit.ts).
 */
import type { Converter, OpHandler } from './onnx-convert.js';
import type { OnnxNode, Tensor } from './onnx.js';
import { elementwise, scalarOf } from './onnx.js';
import { numbersText } from './common.js';
import { activationQuant, reluOp } from './kbit.js';

export const QONNX_DOMAINS = ['onnx.brevitas', 'qonnx.custom_op.general', 'qonnx.custom_op', 'finn.custom_op.general'];

const bipolar = (x: number, s: number) => (x >= 0 ? s : -s);

const bipolarQuant: OpHandler = {
  fold: (cx, node, ins) => {
    const [x, s] = ins;
    if (!x || !s) return cx.fail('BNN201', node, 'needs the tensor and its scale', 'the node is incomplete');
    const r = elementwise(x, s, bipolar, 'f32');
    return [r ?? cx.fail('BNN216', node, `the scale of shape [${s.dims.join(', ')}] does not broadcast to [${x.dims.join(', ')}]`, 'check the export')];
  },
  apply: (cx, node, x, ins, xi) => {
    if (xi !== 0) cx.fail('BNN215', node, 'has a data-dependent scale', 'the scale must be a constant');
    const s = cx.constIn(node, ins, 1, 'the scale');
    const p = cx.channelParam(node, x, s, 'the scale');
    const vals = typeof p === 'number' ? [p] : Array.from(p);
    if (vals.some((v) => !(v > 0) || !Number.isFinite(v))) cx.fail('BNN221', node, `has the scale ${numbersText(vals)}, expected positive values`, 'a binary activation scale must be positive');
    // sign(a x) = sign(x) for a > 0: a pending scale is dropped
    x.scale = 1;
    if (!cx.b.sign(cx.layerName(node), cx.from(node))) cx.b.notes.push(`${cx.from(node)}: the values are already -1/+1, no second sign layer`);
    let scale = 1;
    if (typeof p === 'number') scale = p;
    else cx.b.affine(cx.layerName(node, '_scale'), `the scale of ${cx.from(node)}`, p, 0);
    cx.setDyn(node.outputs[0]!, { ...x, scale, raw: false });
  },
};

function roundMode(cx: Converter, node: OnnxNode): (v: number) => number {
  const mode = cx.attrString(node, 'rounding_mode', 'ROUND').toUpperCase();
  switch (mode) {
    case 'ROUND':
    case 'HALF_EVEN':
      return (v) => {
        const f = Math.floor(v);
        const d = v - f;
        return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
      };
    case 'FLOOR':
      return Math.floor;
    case 'CEIL':
      return Math.ceil;
    case 'ROUND_TO_ZERO':
    case 'TRUNC':
      return Math.trunc;
    default:
      return cx.fail('BNN203', node, `has rounding_mode ${JSON.stringify(mode)}`, 'supported: ROUND, FLOOR, CEIL, ROUND_TO_ZERO');
  }
}

function intRange(signed: boolean, narrow: boolean, bits: number): [number, number] {
  if (signed) return [-(2 ** (bits - 1)) + (narrow ? 1 : 0), 2 ** (bits - 1) - 1];
  return [0, 2 ** bits - 1 - (narrow ? 1 : 0)];
}

function quantParams(cx: Converter, node: OnnxNode, ins: (Tensor | undefined)[]): { signed: boolean; narrow: boolean; bits: number } {
  const b = ins[3];
  const bits = b ? scalarOf(b) : null;
  if (bits === null || !Number.isInteger(bits) || bits < 1 || bits > 32) return cx.fail('BNN203', node, `has bitwidth ${b ? numbersText(b.data) : 'missing'}, expected one integer from 1 to 32`, 'check the export');
  return { signed: cx.attrInt(node, 'signed', 1) === 1, narrow: cx.attrInt(node, 'narrow', 0) === 1, bits };
}

const quant: OpHandler = {
  fold: (cx, node, ins) => {
    const [x, s, z] = ins;
    if (!x || !s || !z) return cx.fail('BNN201', node, 'needs the tensor, scale, zero point and bit width', 'the node is incomplete');
    const { signed, narrow, bits } = quantParams(cx, node, ins);
    const [lo, hi] = intRange(signed, narrow, bits);
    const round = roundMode(cx, node);
    const q = elementwise(x, s, (v, sc) => v / sc, 'f32');
    const withZ = q && elementwise(q, z, (v, zp) => Math.min(Math.max(round(v + zp), lo), hi) - zp, 'f32');
    const out = withZ && elementwise(withZ, s, (v, sc) => v * sc, 'f32');
    return [out ?? cx.fail('BNN216', node, 'scale or zero point does not broadcast to the tensor', 'check the export')];
  },
  apply: (cx, node, x, ins, xi) => {
    if (xi !== 0) cx.fail('BNN215', node, 'has data-dependent parameters', 'scale, zero point and bit width must be constants');
    const t = (i: number, what: string) => cx.constIn(node, ins, i, what);
    const { signed, narrow, bits } = quantParams(cx, node, [undefined, t(1, 'scale'), t(2, 'zero point'), t(3, 'bit width')]);
    // on activations: a k-bit quant layer (kbit.ts); on the graph input: its integer type (below)
    if (!x.raw || !cx.b.untouched) return activationQuant(cx, node, x, { signed, narrow, bits }, t(1, 'scale'), t(2, 'zero point'));
    const scale = scalarOf(t(1, 'scale'));
    const zero = scalarOf(t(2, 'zero point'));
    if (scale === null || !(scale > 0)) cx.fail('BNN221', node, `has the scale ${numbersText(t(1, 'scale').data)}, expected one positive number`, 'quantise the input with one scale');
    if (zero !== 0) cx.fail('BNN221', node, `has the zero point ${numbersText(t(2, 'zero point').data)}, expected 0`, 'bnn-hw input types have no zero point: quantise the input symmetrically or as unsigned without offset');
    if (narrow) cx.fail('BNN203', node, 'uses a narrow range', 'bnn-hw input types use the full range: export the input Quant with narrow=False');
    if (!signed && bits < 1) cx.fail('BNN203', node, 'has no bits', 'check the export');
    if (signed && bits < 2) cx.fail('BNN203', node, 'is a signed 1-bit quantiser', 'use BipolarQuant for -1/+1 inputs');
    const frac = -Math.log2(scale!);
    let json: string | { fixed: { bits: number; frac: number } };
    let extra = 1;
    if (scale === 1) json = `${signed ? 'int' : 'uint'}${bits}`;
    else if (signed && Number.isInteger(frac) && frac > 0 && frac <= 32) json = { fixed: { bits, frac } };
    else {
      json = `${signed ? 'int' : 'uint'}${bits}`;
      extra = scale!;
    }
    const why = `${cx.from(node)} quantises the graph input to ${typeof json === 'string' ? json : `fixed<${bits},${frac}>`}${extra !== 1 ? ` times ${extra}` : ''}`;
    if (cx.graphInputType && JSON.stringify(cx.graphInputType.json) !== JSON.stringify(json)) {
      cx.fail('BNN206', node, `states the input type ${JSON.stringify(json)}, but ${cx.graphInputType.why}`, 'the graph contradicts itself about its input type');
    }
    cx.graphInputType = { json, why };
    if (extra !== 1) cx.b.affine(cx.layerName(node, '_scale'), `the scale of ${cx.from(node)}`, extra, 0);
    cx.setDyn(node.outputs[0]!, { ...x, raw: extra === 1 });
  },
};

export const QONNX_OPS: ReadonlyMap<string, OpHandler> = new Map<string, OpHandler>([
  ['BipolarQuant', bipolarQuant],
  ['Quant', quant],
  ['IntQuant', quant],
  ['Relu', reluOp],
]);
