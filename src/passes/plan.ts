/**
 * plan: integer IR + folding -> a chain of hardware blocks with all Verilog parameters decided.
 *   input:  [thresh_in] (models that binarise or quantise their input) or the raw input stream
 *   dense:  [dwc] -> fifo -> mvtu / mvu_int
 * A stage with levels (k-bit activation) sends k-bit code lanes (blocks/levels.ts: laneFormat); the
 * next linear stage reads them as integers (mvu_int, IN_W = k).
 *   conv:   [dwc] -> swg -> fifo -> mvtu / mvu_int          (pool stages: [dwc] -> pool)
 *   output: the last MVU's integer scores -> [argmax]
 * Pure: no files, no tools. Latency comes from the cycle model (src/sim).
 */
import { fail } from '../diagnostics/diagnostic.js';
import type { IrLinear, IrModel, IrPool } from '../ir/types.js';
import { channels, inputRange, inputTypeText, prod } from '../ir/model.js';
import { postScore } from '../reference/integer.js';
import type { ArgmaxBlock, HwBlock, MvtuBlock, MvuIntBlock, PoolBlock, RankTables, StreamFormat, SwgBlock, ThreshInBlock } from '../blocks/types.js';
import { clog2, lcm, signedBits } from '../util/math.js';
import { topModule } from '../util/names.js';
import { argmaxLatency, mvuLatency, obufFor, THRESH_IN_LATENCY } from '../blocks/timing.js';
import { swgGeometry } from '../blocks/kinds/swg-sim.js';
import { blockLevels, codeBits, laneFormat } from '../blocks/levels.js';
import { BITPLANE_MAX_PLANES, mvuIntDatapathFor } from '../blocks/mvu-int-datapath.js';
import type { MvuIntDatapath } from '../blocks/popcount-plan.js';
import { type Folding, layerCycles, positions } from './folding.js';
import { layout, type Layer } from './layers.js';
import type { StreamInfo } from './streams.js';

export interface Timing {
  cyclesPerFrame: number;
  latencyCycles: number;
}

export interface HwPlan {
  name: string;
  top: string;
  ir: IrModel;
  folding: Folding;
  input: StreamFormat;
  /** 'codes': the trailing activation's code lanes (graph segments) */
  output: StreamFormat & { kind: 'argmax' | 'scores' | 'codes' };
  blocks: HwBlock[];
  /** analytical steady-state cycles per frame: the slowest block */
  cyclesPerFrame: number;
  /** the blocks grouped into layers (wrapper modules) with their module and instance names */
  layers: Layer[];
  /** every stream of the block chain with its RTL name (stream i = input of block i, the last = output) */
  streams: StreamInfo[];
}

/** Register levels in a popcount / adder tree of n leaves: one level per 3 adder levels beyond 16 leaves. */
export function popStagesFor(n: number): number {
  return n <= 16 ? 0 : Math.floor((clog2(n) - 2) / 3);
}

/** Widest integer element of a first layer's input stream (bnn_swg ELEM_W). */
export const MAX_ELEM_W = 32;

const elemFormat = laneFormat;

function threshIn(ir: IrModel, pe: number): ThreshInBlock {
  const stage = ir.stages.find((s) => s.op === 'binarize')!;
  const r = inputRange(ir.input.type);
  const { w: inW, signed } = elemFormat(r.min, r.max);
  const tdepth = lcm(stage.period, pe) / pe;
  // levels: thresholds two's complement in [min - 1, max + 1] (bnn_thresh_in), one bit more than a sign's
  const levels = stage.levels ? blockLevels(stage.levels) : null;
  return { kind: 'thresh_in', name: stage.name, stage, pe, inW, signed, tdepth, tw: levels ? inW + 2 : inW + 1, levels, obufDepth: obufFor(THRESH_IN_LATENCY, 1) };
}

function linearBlock(l: IrLinear, pe: number, simd: number, inW: number, signed: boolean, datapath: MvuIntDatapath | undefined, li: number): MvtuBlock | MvuIntBlock {
  const sf = l.mw / simd;
  const nf = l.mh / pe;
  const popStages = popStagesFor(simd);
  const scores = l.thr === null && l.levels === null;
  const levels = l.levels ? blockLevels(l.levels) : null;
  const obufDepth = obufFor(mvuLatency(popStages), sf);
  if (l.input === 'binary') {
    const masked = l.conv !== null && l.conv.padCode === 0 && hasPadding(l);
    return {
      kind: 'mvtu', name: l.name, stage: l, pe, simd, sf, nf, popStages, scores, masked, accW: clog2(l.mw + 1) + 1,
      tw: masked ? signedBits(-l.mw, l.mw + 1) : clog2(l.mw + 2), levels, obufDepth,
    };
  }
  if (datapath === 'bitplane' && inW > BITPLANE_MAX_PLANES) {
    fail('BNN053', `/layers/${li}/datapath`, `layer "${l.name}": the bit-plane datapath takes at most ${BITPLANE_MAX_PLANES}-bit inputs, this layer's are ${inW} bits`, 'use "addsub" or leave "datapath" out');
  }
  return {
    kind: 'mvu_int', name: l.name, stage: l, pe, simd, sf, nf, inW, signed, popStages, scores,
    accW: signedBits(-l.dMax, l.dMax), tw: signedBits(-l.dMax, l.dMax + 1), levels, obufDepth,
    datapath: datapath ?? mvuIntDatapathFor(inW),
  };
}

const hasPadding = (l: IrLinear): boolean => {
  const p = l.conv!.pad;
  return p.top + p.bottom + p.left + p.right > 0;
};

/**
 * A stride at least as large as the (padded) extent gives one window along that axis, like a stride
 * equal to the extent: the blocks get the smaller value, so their counters and buffers stay sized by
 * the image (a stride of 2^40 would overflow Verilog's 32-bit parameters).
 */
const effStride = (s: number, extent: number): number => Math.min(s, extent);

/** Line-buffer words a sliding window may hold: the largest tensor the format admits. */
export const MAX_SWG_WORDS = 2 ** 26;

function swgBlock(l: IrLinear, simd: number, elemW: number): SwgBlock {
  const c = l.conv!;
  const [h, w, ch] = l.inShape as [number, number, number];
  const sh = effStride(c.strides[0], h + c.pad.top + c.pad.bottom);
  const sw = effStride(c.strides[1], w + c.pad.left + c.pad.right);
  const masked = l.input === 'binary' && c.padCode === 0 && hasPadding(l);
  const padElem = l.input === 'binary' ? (c.padCode > 0 ? 1 : 0) : ((c.padCode % 2 ** elemW) + 2 ** elemW) % 2 ** elemW;
  const b: SwgBlock = {
    kind: 'swg', name: `${l.name}_swg`,
    params: {
      ELEM_W: elemW, SIMD: simd, C: ch, H: h, W: w, KH: c.kernel[0], KW: c.kernel[1], SH: sh, SW: sw,
      PAD_T: c.pad.top, PAD_B: c.pad.bottom, PAD_L: c.pad.left, PAD_R: c.pad.right, PAD_MODE: masked ? 1 : 0, PAD_ELEM: padElem,
    },
  };
  const g = swgGeometry(b.params);
  if (g.depth > MAX_SWG_WORDS) {
    fail('BNN042', l.ptr, `${l.kind} layer "${l.name}" is not mappable: its sliding window needs a line buffer of ${g.rows} rows x ${g.roww} words (${g.depth} words of ${simd * elemW} bit${simd * elemW === 1 ? '' : 's'}); expected at most ${MAX_SWG_WORDS} words`, 'the buffer holds kernel rows + stride rows of the input image: use a smaller kernel or stride along the rows, less padding, or a narrower image; a larger SIMD makes fewer, wider words');
  }
  return b;
}

/**
 * A convolution reading integer codes pads with the code of its pad value (IrConvGeometry.padCode), sent
 * in the stream's lane format (after a k-bit activation: its codes in the fewest bits, two's complement
 * when signed): a code the lanes cannot hold (e.g. pad value -1 after unsigned codes) is refused. (A raw
 * first-layer input stream is sized to hold its pad code, BNN041.)
 */
function checkPadLane(l: IrLinear, elem: { w: number; signed: boolean }): void {
  const pad = l.conv!.padCode;
  if (!hasPadding(l)) return;
  const lo = elem.signed ? -(2 ** (elem.w - 1)) : 0;
  const hi = elem.signed ? 2 ** (elem.w - 1) - 1 : 2 ** elem.w - 1;
  if (pad >= lo && pad <= hi) return;
  fail('BNN036', l.ptr, `conv2d layer "${l.name}" pads with code ${pad}, which its input stream cannot carry: the activation before it sends ${elem.w}-bit ${elem.signed ? 'signed' : 'unsigned'} codes [${lo}, ${hi}]`, 'pad with a value whose code lies in the activation\'s code range (padValue 0 for a quant), or use "valid" padding');
}

function poolBlock(s: IrPool, pe: number, elem: { w: number; signed: boolean }): PoolBlock {
  const [h, w, c] = s.inShape as [number, number, number];
  return {
    kind: 'pool', name: s.name, stage: s,
    params: { C: c, PE: pe, ELEM_W: elem.w, SIGNED: elem.signed ? 1 : 0, H: h, W: w, KH: s.pool[0], KW: s.pool[1], SH: effStride(s.strides[0], h), SW: effStride(s.strides[1], w), AND_MASK: Array.from(s.and) },
  };
}

/** Exact argmax through rank tables when the trailing bias / batchnorm / affine reorders scores. */
export function rankTables(l: IrLinear, pe: number): RankTables | null {
  const post = l.post!;
  // an input offset (multithreshold outBias) adds offset * S2[j] per class: it may reorder the scores
  if (!post.bias && post.ops.length === 0 && !l.inOffset) return null;
  const n = l.mw;
  // XNOR scores d = 2p - N share N's parity: index p = (d + N) >> 1. Integer and masked (zero-padded)
  // layers take every integer in [-dMax, dMax].
  const parity = l.input === 'binary' && !(l.conv && l.conv.padCode === 0 && hasPadding(l));
  const dMax = l.input === 'binary' ? n : l.dMax;
  const scoreMin = -dMax;
  const shift = parity ? 1 : 0;
  const nvalsOf = parity ? n + 1 : 2 * dMax + 1;
  if (nvalsOf * positions(l) * l.mh > 2 ** 20) {
    fail('BNN091', l.ptr, `layer "${l.name}": exact argmax through its trailing bias / batchnorm / affine needs rank tables of ${nvalsOf * positions(l) * l.mh} entries (limit ${2 ** 20})`, 'use "output": "scores" and take the argmax in software, or narrow the input type');
  }
  const classes = positions(l) * l.mh;
  const nvals = nvalsOf;
  const dOf = (i: number) => (parity ? 2 * i - n : i + scoreMin);
  const values: Float64Array[] = [];
  for (let e = 0; e < classes; e++) values.push(Float64Array.from({ length: nvals }, (_, i) => postScore(l, post, e, dOf(i))));
  const sorted = [...new Set(values.flatMap((r) => Array.from(r)))].sort((a, b) => a - b);
  const rankOf = new Map(sorted.map((v, i) => [v, i]));
  const ranks = values.map((r) => Array.from(r, (v) => rankOf.get(v)!));
  const identity = ranks.every((r) => r.every((v, p) => v === ranks[0]![p])) && ranks[0]!.every((v, p) => p === 0 || v > ranks[0]![p - 1]!);
  if (identity) return null;
  const beats = classes / pe;
  const lanes = Array.from({ length: pe }, (_, k) => Array.from({ length: beats }, (_, f) => ranks[f * pe + k]!).flat());
  return { rankW: Math.max(1, clog2(sorted.length)), nvals, shift, scoreMin, lanes };
}

const divisorsUpTo = (n: number, max: number): number => {
  for (let d = Math.min(n, max); d >= 1; d--) if (n % d === 0) return d;
  return 1;
};

export function plan(ir: IrModel, folding: Folding): HwPlan {
  const linears = ir.stages.filter((s): s is IrLinear => s.op === 'linear');
  const blocks: HwBlock[] = [];
  const r = inputRange(ir.input.type);
  const bin = ir.stages.find((s) => s.op === 'binarize');
  const first = linears[0]!;
  const f0 = folding.layers[0]!;
  const frame = prod(ir.input.shape);
  let input: StreamFormat;
  /** the stream entering the next block: bits per beat, element width, signedness */
  let width: number;
  let elem: { w: number; signed: boolean };
  if (bin) {
    const fallback = first.conv ? divisorsUpTo(channels(ir.input.shape), f0.simd) : f0.simd;
    const t = threshIn(ir, folding.inputPe ?? (frame % fallback === 0 ? fallback : 1));
    blocks.push(t);
    input = { lanes: t.pe, laneW: t.inW, signed: t.signed, beats: frame / t.pe };
    elem = t.levels ? { w: t.levels.w, signed: t.levels.signed } : { w: 1, signed: false };
    width = t.pe * elem.w;
  } else {
    // the pad code joins the lane range only when the window pads (an unpadded window never sends it)
    const pad = first.conv && hasPadding(first) ? first.conv.padCode : 0;
    elem = ir.input.type.kind === 'bipolar' ? { w: 1, signed: false } : elemFormat(Math.min(r.min, pad), Math.max(r.max, pad));
    if (elem.w > MAX_ELEM_W) {
      fail('BNN041', first.ptr, `${first.kind} layer "${first.name}" is not mappable: its padding is input code ${pad}, outside the ${inputTypeText(ir.input.type)} input range [${r.min}, ${r.max}], so the window elements would need ${elem.w} bits; expected at most ${MAX_ELEM_W}`, `pad with a value inside the input range (padValue ${r.min <= 0 && r.max >= 0 ? 0 : r.min}), use "valid" padding, or a narrower input type`);
    }
    input = { lanes: f0.simd, laneW: elem.w, signed: elem.signed, beats: frame / f0.simd };
    width = f0.simd * elem.w;
  }
  let cyclesPerFrame = input.beats;
  let li = 0;
  let last: MvtuBlock | MvuIntBlock | null = null;
  /** bits of the current stream per frame, to count the beats every block handles per frame */
  let frameBits = input.beats * width;
  const rechunk = (name: string, to: number) => {
    if (width !== to) {
      blocks.push({ kind: 'dwc', name, inW: width, outW: to, lane: elem.w > 1 ? { ...elem } : null });
      cyclesPerFrame = Math.max(cyclesPerFrame, frameBits / Math.min(width, to));
    }
    width = to;
  };
  for (const s of ir.stages) {
    if (s.op === 'pool') {
      // lanes of elem.w bits (k-bit codes after a k-bit activation): PE channels per beat
      const c = channels(s.inShape);
      const lanes = width / elem.w;
      const pe = c % lanes === 0 ? lanes : divisorsUpTo(c, lanes);
      rechunk(`${s.name}_dwc`, pe * elem.w);
      blocks.push(poolBlock(s, pe, elem));
      cyclesPerFrame = Math.max(cyclesPerFrame, frameBits / width);
      frameBits = prod(s.outShape) * elem.w;
    } else if (s.op === 'linear') {
      const { pe, simd, datapath } = folding.layers[li]!;
      rechunk(`${s.name}_dwc`, simd * elem.w);
      const b = linearBlock(s, pe, simd, elem.w, elem.signed, datapath, li++);
      const beatW = simd * elem.w + (b.kind === 'mvtu' && b.masked ? 1 : 0);
      if (s.conv) {
        if (s.input === 'int') checkPadLane(s, elem);
        blocks.push(swgBlock(s, simd, elem.w));
        // the window generator reads every input beat once, also those a stride skips
        cyclesPerFrame = Math.max(cyclesPerFrame, prod(s.inShape) / simd);
      }
      blocks.push({ kind: 'fifo', name: `${s.name}_fifo`, width: beatW, depth: s.mw / simd + 2 });
      blocks.push(b);
      cyclesPerFrame = Math.max(cyclesPerFrame, layerCycles(s, { pe, simd }));
      const lane = b.scores ? b.accW : codeBits(b.levels);
      width = pe * lane;
      frameBits = prod(s.outShape) * lane;
      elem = b.levels ? { w: b.levels.w, signed: b.levels.signed } : { w: 1, signed: false };
      last = b;
    }
  }
  const l = last!.stage;
  const beats = positions(l) * last!.nf;
  let output: HwPlan['output'];
  if (ir.output === 'codes') {
    output = { kind: 'codes', lanes: width / elem.w, laneW: elem.w, signed: elem.signed, beats: frameBits / width };
  } else if (ir.output === 'argmax') {
    const rank = rankTables(l, last!.pe);
    const classes = positions(l) * l.mh;
    const a: ArgmaxBlock = {
      kind: 'argmax', name: 'argmax', stage: l, pe: last!.pe, nf: beats, scoreW: last!.accW, classes,
      idxW: Math.max(1, clog2(classes)), rank, obufDepth: obufFor(argmaxLatency(rank !== null), beats),
    };
    blocks.push(a);
    output = { kind: 'argmax', lanes: 1, laneW: a.idxW, signed: false, beats: 1 };
  } else {
    output = { kind: 'scores', lanes: last!.pe, laneW: last!.accW, signed: true, beats };
  }
  return layout({ name: ir.name, top: topModule(ir.name), ir, folding, input, output, blocks, cyclesPerFrame });
}
