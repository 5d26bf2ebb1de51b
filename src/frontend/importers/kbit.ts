/**
 * k-bit activations in ONNX graphs (issue 12):
 *   QONNX Quant / IntQuant on activations (not on the graph input, where it states the input type) with
 *   bit width 2..8, one scale > 0, zero point 0 and rounding_mode ROUND -> a quant layer (signed and
 *   narrow from the node's attributes; a pending activation scale is applied first, as an affine).
 *   FINN MultiThreshold with n >= 2 thresholds per channel -> a multithreshold layer (out_scale > 0,
 *   out_bias; one row or one row per channel of bnn-hw's layout).
 *   Relu right before an unsigned Quant (Brevitas QuantReLU exports that pair) -> nothing: with zero
 *   point 0 the Quant computes s * clip(round(x / s), 0, 2^k - 1), and for x < 0, x / s < 0 rounds to a
 *   code <= 0 (x / s in [-1/2, 0) to 0 under half-to-even), which the clip makes 0 = Quant(Relu(x)).
 *   So Quant(Relu(x)) = Quant(x) for every x and the pair is one quant layer. A Relu anywhere else
 *   (before a signed Quant, any other node, the graph output) is refused as before (BNN202).
 */
import type { Converter, Dyn, OpHandler } from './onnx-convert.js';
import type { OnnxNode, Tensor } from './onnx.js';
import { scalarOf } from './onnx.js';
import { numbersText } from './common.js';

const QUANT_HINT = 'bnn-hw imports activation quantisers with 2..8 bits, one positive scale, zero point 0 and rounding_mode ROUND (1-bit activations: BipolarQuant)';

/** Relu: passed on for the Quant after it to absorb (the converter refuses it before any other node). */
export const reluOp: OpHandler = {
  apply: (cx, node, x) => {
    cx.pendingRelu = node;
    // no longer the graph input: the Quant after it is an activation quantiser, not the input type
    cx.setDyn(node.outputs[0]!, { ...x, raw: false });
  },
};

export function activationQuant(cx: Converter, node: OnnxNode, x: Dyn, p: { bits: number; signed: boolean; narrow: boolean }, scaleT: Tensor, zeroT: Tensor): void {
  const relu = cx.pendingRelu;
  if (relu && p.signed) cx.refusePendingRelu(`${cx.from(node)} after it is signed, so the Relu changes its result: only a Relu right before an unsigned Quant with zero point 0 (Brevitas QuantReLU) is imported`);
  const fail = (what: string) => cx.fail('BNN032', node, `quantises activations ${what}`, QUANT_HINT);
  if (p.bits < 2 || p.bits > 8) fail(`to ${p.bits} bits, expected 2 to 8`);
  const scale = scalarOf(scaleT);
  if (scale === null || !(scale > 0) || !Number.isFinite(scale)) fail(`with the scale ${numbersText(scaleT.data)}, expected one positive number (per tensor)`);
  if (p.narrow && !p.signed) fail('unsigned with narrow=1 (codes [0, 2^k - 2]), expected narrow=0 for an unsigned quantiser');
  if (scalarOf(zeroT) !== 0) fail(`with the zero point ${numbersText(zeroT.data)}, expected 0`);
  const mode = cx.attrString(node, 'rounding_mode', 'ROUND').toUpperCase();
  if (mode !== 'ROUND' && mode !== 'HALF_EVEN') fail(`with rounding_mode ${JSON.stringify(mode)}, expected ROUND (half to even)`);
  if (relu) {
    cx.pendingRelu = null;
    cx.b.notes.push(`${cx.from(relu)} is absorbed by ${cx.from(node)}: an unsigned Quant with zero point 0 maps every negative input to code 0, as after the Relu`);
  }
  cx.materialize(node, x);
  cx.b.quant(cx.layerName(node), cx.from(node), { ...p, scale: scale! });
  cx.setDyn(node.outputs[0]!, { ...x, scale: 1, raw: false });
}

/** MultiThreshold with k >= 2 thresholds per channel; `t` is [rows, k], rows 1 or the channel count (checked by the caller). */
export function multiThresholdLayer(cx: Converter, node: OnnxNode, x: Dyn, t: Tensor): void {
  const [rows, k] = t.dims as [number, number];
  const outScale = cx.attrFloat(node, 'out_scale', 1);
  const outBias = cx.attrFloat(node, 'out_bias', 0);
  const hint = 'bnn-hw imports MultiThreshold with 1 to 255 finite thresholds per channel and out_scale > 0';
  if (k > 255) cx.fail('BNN032', node, `has ${k} thresholds per channel, expected at most 255 (8 bits)`, hint);
  if (!(outScale > 0) || !Number.isFinite(outScale) || !Number.isFinite(outBias)) cx.fail('BNN032', node, `has out_scale ${outScale} and out_bias ${outBias}, expected out_scale > 0 and a finite out_bias`, hint);
  if (t.data.some((v) => !Number.isFinite(v))) cx.fail('BNN032', node, 'has thresholds that are not all finite', hint);
  cx.materialize(node, x);
  // column i as a constant of shape [1, C, 1, ...] (or [1, 1, ...]) in bnn-hw's channel order
  const dims = x.shape.map((d, i) => (i === 1 && rows !== 1 ? d : 1));
  const cols: (number | Float64Array)[] = [];
  for (let i = 0; i < k; i++) {
    const data = new Float64Array(rows);
    for (let r = 0; r < rows; r++) data[r] = t.data[r * k + i]!;
    cols.push(cx.channelParam(node, x, { dims, data, elem: t.elem }, 'the thresholds'));
  }
  const n = cols.some((c) => typeof c !== 'number') ? cx.b.channels : 1;
  const thresholds = Array.from({ length: n }, (_, c) => cols.map((col) => (typeof col === 'number' ? col : col[c]!)));
  cx.b.multithreshold(cx.layerName(node), cx.from(node), thresholds, outScale, outBias);
  cx.setDyn(node.outputs[0]!, { ...x, scale: 1, raw: false });
}
