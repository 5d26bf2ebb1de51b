/**
 * FINN-ONNX (the older dialect of Xilinx FINN): MultiThreshold and finn_datatype annotations.
 *   MultiThreshold(x, T; out_scale, out_bias) = out_scale * #{i : x >= T[c, i]} + out_bias
 *   With one threshold per channel it is out_scale * (x >= T) + out_bias
 *     = (out_scale / 2) * sign(x - T) + (out_scale / 2 + out_bias)
 *   so bnn-hw emits affine(1, -T) (x - T is exact in float64 and has the sign of x - T), sign, and
 *   for anything but the bipolar case (out_scale 2, out_bias -1) the affine after it. With several
 *   thresholds per channel it is a k-bit multithreshold layer (kbit.ts).
 *   finn_datatype on the graph input (UINT8, INT4, BIPOLAR, FIXED<8,1>, ...) states its integer type;
 *   on weights it is checked against the values (binary weights must be BIPOLAR).
 */
import type { OpHandler } from './onnx-convert.js';
import { numbersText } from './common.js';
import { multiThresholdLayer } from './kbit.js';

export const FINN_DOMAINS = ['finn.custom_op.general', 'finn', 'qonnx.custom_op.general'];

/** finn_datatype -> bnn-hw input type; null for FLOAT32 (no integer type). */
export function finnInputType(dt: string): string | { fixed: { bits: number; frac: number } } | null | undefined {
  const t = dt.trim().toUpperCase();
  if (t === 'FLOAT32' || t === 'FLOAT16') return null;
  if (t === 'BIPOLAR') return 'bipolar';
  if (t === 'BINARY') return 'uint1';
  const m = /^(U?INT)(\d+)$/.exec(t);
  if (m) {
    const bits = Number(m[2]);
    if (m[1] === 'UINT' && bits >= 1 && bits <= 32) return `uint${bits}`;
    if (m[1] === 'INT' && bits >= 2 && bits <= 32) return `int${bits}`;
  }
  const f = /^FIXED<(\d+),\s*(\d+)>$/.exec(t);
  if (f) {
    const bits = Number(f[1]);
    const intBits = Number(f[2]);
    if (bits >= 2 && bits <= 32 && intBits <= bits) return { fixed: { bits, frac: bits - intBits } };
  }
  return undefined;
}

const multiThreshold: OpHandler = {
  apply: (cx, node, x, ins, xi) => {
    if (xi !== 0) cx.fail('BNN215', node, 'has data-dependent thresholds', 'the thresholds must be constants');
    const t = cx.constIn(node, ins, 1, 'the thresholds');
    if (t.dims.length !== 2) cx.fail('BNN216', node, `has thresholds of shape [${t.dims.join(', ')}], expected [channels, thresholds]`, 'check the export');
    const [rows, k] = t.dims as [number, number];
    const layout = cx.attrString(node, 'data_layout', 'NCHW');
    if (cx.isImage(x) && layout !== 'NCHW') cx.fail('BNN217', node, `has data_layout ${JSON.stringify(layout)}`, 'bnn-hw reads NCHW FINN-ONNX graphs (before FINN\'s streamlining to NHWC)');
    const c = x.shape[1] ?? 1;
    if (rows !== 1 && rows !== c) cx.fail('BNN216', node, `has ${rows} threshold rows for ${c} channels`, 'give one threshold per channel or one for all');
    // several thresholds per channel: a k-bit multithreshold layer (kbit.ts)
    if (k !== 1) return multiThresholdLayer(cx, node, x, t);
    cx.materialize(node, x);
    // thresholds as a constant of shape [1, C, 1, ...] (or [1, 1, ...]) that channelParam understands
    const dims = x.shape.map((d, i) => (i === 1 && rows !== 1 ? d : 1));
    const p = cx.channelParam(node, x, { dims, data: t.data, elem: t.elem }, 'the thresholds');
    const vals = typeof p === 'number' ? [p] : Array.from(p);
    if (vals.some((v) => !Number.isFinite(v))) cx.fail('BNN221', node, `has the thresholds ${numbersText(vals)}, which are not all finite`, 'a channel with an infinite threshold is constant: fold it before export');
    const outScale = cx.attrFloat(node, 'out_scale', 1);
    const outBias = cx.attrFloat(node, 'out_bias', 0);
    const from = cx.from(node);
    cx.b.affine(cx.layerName(node, '_thr'), `the thresholds of ${from}`, 1, typeof p === 'number' ? -p : p.map((v) => -v));
    if (!cx.b.sign(cx.layerName(node), from)) cx.b.notes.push(`${from}: the values are already -1/+1, no second sign layer`);
    const half = outScale / 2;
    const offset = half + outBias;
    let scale = 1;
    if (offset === 0 && half > 0) scale = half;
    else cx.b.affine(cx.layerName(node, '_out'), `out_scale ${outScale} / out_bias ${outBias} of ${from}`, half, offset);
    cx.setDyn(node.outputs[0]!, { ...x, scale, raw: false });
  },
};

export const FINN_OPS: ReadonlyMap<string, OpHandler> = new Map<string, OpHandler>([['MultiThreshold', multiThreshold]]);
