/**
 * plan: integer IR + folding -> a chain of hardware blocks with all Verilog parameters decided.
 *   [thresh_in] -> dwc? -> fifo -> mvtu/mvu_int -> dwc? -> fifo -> mvtu ... -> mvtu(scores) -> [argmax]
 * Pure: no files, no tools. Cycle and latency numbers come from the block cycle models (src/sim).
 */
import { fail } from '../diagnostics/diagnostic.js';
import type { IrLinear, IrModel } from '../ir/types.js';
import { inputRange, prod } from '../ir/model.js';
import { postScores } from '../reference/integer.js';
import type { ArgmaxBlock, HwBlock, MvtuBlock, MvuIntBlock, RankTables, StreamFormat, ThreshInBlock } from '../blocks/types.js';
import { clog2, lcm, signedBits } from '../util/math.js';
import { argmaxLatency, mvuLatency, obufFor, THRESH_IN_LATENCY } from '../blocks/timing.js';
import { type Folding, layerCycles } from './folding.js';

export interface HwPlan {
  name: string;
  top: string;
  ir: IrModel;
  folding: Folding;
  input: StreamFormat;
  output: StreamFormat & { kind: 'argmax' | 'scores' };
  blocks: HwBlock[];
  /** analytical steady-state cycles per frame: the slowest block */
  cyclesPerFrame: number;
}

/** Register levels in a popcount / adder tree of n leaves: one level per 3 adder levels beyond 16 leaves. */
export function popStagesFor(n: number): number {
  return n <= 16 ? 0 : Math.floor((clog2(n) - 2) / 3);
}


function threshIn(ir: IrModel, pe: number): ThreshInBlock {
  const stage = ir.stages.find((s) => s.op === 'binarize')!;
  const r = inputRange(ir.input.type);
  const signed = r.min < 0;
  const inW = signed ? signedBits(r.min, r.max) : clog2(r.max + 1);
  const tdepth = lcm(stage.period, pe) / pe;
  return { kind: 'thresh_in', name: stage.name, stage, pe, inW, signed, tdepth, tw: inW + 1, obufDepth: obufFor(THRESH_IN_LATENCY, 1) };
}

function linearBlock(l: IrLinear, pe: number, simd: number, inW: number, signed: boolean): MvtuBlock | MvuIntBlock {
  const sf = l.mw / simd;
  const nf = l.mh / pe;
  const popStages = popStagesFor(simd);
  const scores = l.thr === null;
  const obufDepth = obufFor(mvuLatency(popStages), sf);
  if (l.input === 'binary') {
    return { kind: 'mvtu', name: l.name, stage: l, pe, simd, sf, nf, popStages, scores, accW: clog2(l.mw + 1) + 1, tw: clog2(l.mw + 2), obufDepth };
  }
  return {
    kind: 'mvu_int', name: l.name, stage: l, pe, simd, sf, nf, inW, signed, popStages, scores,
    accW: signedBits(-l.dMax, l.dMax), tw: signedBits(-l.dMax, l.dMax + 1), obufDepth,
  };
}

/** Exact argmax through rank tables when the trailing bias / batchnorm / affine reorders scores. */
export function rankTables(l: IrLinear, pe: number): RankTables | null {
  const post = l.post!;
  if (!post.bias && post.ops.length === 0) return null;
  if (l.input !== 'binary') {
    fail('BNN091', l.ptr, `layer "${l.name}": an argmax over an integer-input last layer with a trailing bias / batchnorm / affine is not supported in hardware`, 'use "output": "scores" and take the argmax in software');
  }
  const n = l.mw;
  const nvals = n + 1;
  const values: number[][] = [];
  const d = new Float64Array(nvals);
  for (let p = 0; p <= n; p++) d[p] = 2 * p - n;
  for (let j = 0; j < l.mh; j++) {
    const row = new Float64Array(nvals);
    const one = new Float64Array(l.mh);
    for (let p = 0; p <= n; p++) {
      one.fill(0);
      one[j] = d[p]!;
      row[p] = postScores(l, post, one)[j]!;
    }
    values.push(Array.from(row));
  }
  const sorted = [...new Set(values.flat())].sort((a, b) => a - b);
  const rankOf = new Map(sorted.map((v, i) => [v, i]));
  const ranks = values.map((r) => r.map((v) => rankOf.get(v)!));
  const identity = ranks.every((r) => r.every((v, p) => v === ranks[0]![p])) && ranks[0]!.every((v, p) => p === 0 || v > ranks[0]![p - 1]!);
  if (identity) return null;
  const nf = l.mh / pe;
  const lanes = Array.from({ length: pe }, (_, k) => Array.from({ length: nf }, (_, f) => ranks[f * pe + k]!).flat());
  return { rankW: Math.max(1, clog2(sorted.length)), nvals, shift: 1, scoreMin: -n, lanes };
}

export function plan(ir: IrModel, folding: Folding): HwPlan {
  const conv = ir.stages.find((s) => s.op === 'pool' || (s.op === 'linear' && s.conv));
  if (conv) fail('BNN090', conv.ptr, `layer "${conv.name}": convolution and pooling hardware is not available yet`, 'bnn-hw generates RTL for dense (MLP) models today; `infer` runs any model');
  const linears = ir.stages.filter((s): s is IrLinear => s.op === 'linear');
  const blocks: HwBlock[] = [];
  const r = inputRange(ir.input.type);
  const bin = ir.stages.find((s) => s.op === 'binarize');
  const f0 = folding.layers[0]!;
  let input: StreamFormat;
  let width: number;
  if (bin) {
    const t = threshIn(ir, folding.inputPe ?? f0.simd);
    blocks.push(t);
    input = { lanes: t.pe, laneW: t.inW, signed: t.signed, beats: prod(ir.input.shape) / t.pe };
    width = t.pe;
  } else if (ir.input.type.kind === 'bipolar') {
    input = { lanes: f0.simd, laneW: 1, signed: false, beats: prod(ir.input.shape) / f0.simd };
    width = f0.simd;
  } else {
    const signed = r.min < 0;
    const inW = signed ? signedBits(r.min, r.max) : clog2(r.max + 1);
    input = { lanes: f0.simd, laneW: inW, signed, beats: prod(ir.input.shape) / f0.simd };
    width = f0.simd * inW;
  }
  let cyclesPerFrame = input.beats;
  linears.forEach((l, i) => {
    const { pe, simd } = folding.layers[i]!;
    const elemW = l.input === 'binary' ? 1 : input.laneW;
    if (l.input === 'binary' && width !== simd) {
      blocks.push({ kind: 'dwc', name: `${l.name}_dwc`, inW: width, outW: simd });
    }
    blocks.push({ kind: 'fifo', name: `${l.name}_fifo`, width: simd * elemW, depth: l.mw / simd + 2 });
    const b = linearBlock(l, pe, simd, input.laneW, input.signed);
    blocks.push(b);
    cyclesPerFrame = Math.max(cyclesPerFrame, layerCycles(l, { pe, simd }));
    width = b.scores ? pe * b.accW : pe;
  });
  const last = blocks[blocks.length - 1] as MvtuBlock | MvuIntBlock;
  let output: HwPlan['output'];
  if (ir.output === 'argmax') {
    const l = last.stage;
    const rank = rankTables(l, last.pe);
    const a: ArgmaxBlock = {
      kind: 'argmax', name: 'argmax', stage: l, pe: last.pe, nf: last.nf, scoreW: last.accW, classes: l.mh,
      idxW: Math.max(1, clog2(l.mh)), rank, obufDepth: obufFor(argmaxLatency(rank !== null), last.nf),
    };
    blocks.push(a);
    output = { kind: 'argmax', lanes: 1, laneW: a.idxW, signed: false, beats: 1 };
  } else {
    output = { kind: 'scores', lanes: last.pe, laneW: last.accW, signed: true, beats: last.nf };
  }
  return { name: ir.name, top: `${ir.name}_top`, ir, folding, input, output, blocks, cyclesPerFrame };
}
