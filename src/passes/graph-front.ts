/**
 * The folding-independent half of the graph planner (issue 13): the pieces of a graph (graph-split.ts)
 * with the lane type of every junction tensor, every segment's chain sub-model and its integer IR, and
 * the mapping rules (BNN040 naming the layer for every form the hardware does not map yet).
 *
 * Lane types: a sign's output travels as bits (+-1 as 1 / 0); a quant / multithreshold's codes in the
 * lane format of their range (blocks/levels.ts), an add's sum in bnn_add's OUT_W, a globalavgpool's sums
 * in bnn_gap's OUT_W. A segment reading a junction tensor gets the input type 'codes' with the FULL range
 * of that lane format and its scale, so both sides agree on the lane width; a gap's scale is the
 * producer's divided by H*W, which the next segment's fold divides out exactly.
 */
import { fail } from '../diagnostics/diagnostic.js';
import type { AddLayer, AvgpoolLayer, GlobalAvgpoolLayer, InputType, Layer, Model } from '../ir/model.js';
import { INPUT, channels, isActivation, isLinear, prod } from '../ir/model.js';
import type { IrModel, IrStage } from '../ir/types.js';
import { activationDomain } from '../ir/activation.js';
import { addAlignment } from '../ir/graph.js';
import { laneFormat, windowSumLane } from '../blocks/levels.js';
import { MAX_SUM_W, addOutLane, codeRange } from '../blocks/kinds/add-sim.js';
import { gapOutWidth } from '../blocks/kinds/gap-sim.js';
import type { AddParams, GapParams } from '../blocks/port-types.js';
import { compileFront } from './pipeline.js';
import { type Piece, type SegmentPiece, readCounts, segmentModel, splitGraph } from './graph-split.js';

/** The lanes of a junction tensor: bits (a sign's +-1) or integer codes of w bits at a scale. */
export interface TensorLane {
  bits: boolean;
  w: number;
  signed: boolean;
  scale: number;
}

export interface FrontSegment {
  kind: 'segment';
  piece: SegmentPiece;
  model: Model;
  ir: IrModel;
  /** indices of its linear layers among the graph's (file order): its slice of the folding */
  linears: number[];
}
export interface FrontAdd {
  kind: 'add';
  layer: AddLayer;
  /** the input (0 / 1 of layer.inputs) that is operand A (the smaller scale) */
  a: 0 | 1;
  params: Omit<AddParams, 'PE'>;
}
export interface FrontGap {
  kind: 'gap';
  layer: GlobalAvgpoolLayer;
  params: Omit<GapParams, 'PE'>;
}
/** An avgpool shortcut: a window sum (bnn_pool SUM = 1) over the codes it reads. */
export interface FrontAvgpool {
  kind: 'avgpool';
  layer: AvgpoolLayer;
  /** the input lanes */
  elem: { w: number; signed: boolean };
}
export type FrontPiece = FrontSegment | FrontAdd | FrontGap | FrontAvgpool;

export interface GraphFront {
  model: Model;
  pieces: FrontPiece[];
  /** how many layers read each tensor (>= 2: a dup) */
  reads: Map<string, number>;
  /** the IR the folding is chosen on: the graph input's binariser and every linear stage, in file order */
  ir: IrModel;
}

const notMapped = (l: Layer, message: string, hint: string): never => fail('BNN040', l.ptr, message, hint);

function inputTypeOf(lane: TensorLane): InputType {
  if (lane.bits) return { kind: 'bipolar' };
  const [min, max] = codeRange(lane.w, lane.signed);
  return { kind: 'codes', min, max, scale: lane.scale };
}

/** The lanes of a segment's output: its last activation's codes. */
function segmentLane(seg: SegmentPiece): TensorLane {
  const act = [...seg.layers].reverse().find(isActivation)!;
  if (act.type === 'sign') return { bits: true, w: 1, signed: false, scale: 1 };
  const d = activationDomain(act);
  if (d.offset !== 0) {
    notMapped(act, `${act.type} layer "${act.name}" has output offset ${d.offset} (outBias): a junction tensor whose codes carry an offset is not mapped yet, expected offset 0`, 'fold the offset into the next layers (a bias) or use a quant activation');
  }
  return { ...laneFormat(d.min, d.max), bits: false, scale: d.scale };
}

function addPiece(l: AddLayer, la: TensorLane, lb: TensorLane): { piece: FrontAdd; lane: TensorLane } {
  // a sign's +-1 bits enter the adder as bipolar operands (bnn_add A_BIPOLAR / B_BIPOLAR: bit x is 2x - 1)
  const al = addAlignment(la.scale, lb.scale);
  if (!al) notMapped(l, `add layer "${l.name}" sums codes of scales ${la.scale} ("${l.inputs[0]}") and ${lb.scale} ("${l.inputs[1]}"), which are neither equal nor a power of two apart: the sum is not an integer code`, 'give both branches the same quantiser scale, or scales a power of two apart');
  const [A, B] = al!.base === 0 ? [la, lb] : [lb, la];
  const params: Omit<AddParams, 'PE'> = {
    A_W: A.w, A_SIGNED: A.signed ? 1 : 0, B_W: B.w, B_SIGNED: B.signed ? 1 : 0, SHIFT: al!.k,
    ...(A.bits ? { A_BIPOLAR: 1 } : {}), ...(B.bits ? { B_BIPOLAR: 1 } : {}),
  };
  const { w, signed } = addOutLane({ ...params, PE: 1 });
  if (al!.k > 16 || w > MAX_SUM_W) notMapped(l, `add layer "${l.name}": scales 2^${al!.k} apart give sums of ${w} bits, expected a shift of at most 16 and at most ${MAX_SUM_W} bits`, 'use closer quantiser scales');
  return { piece: { kind: 'add', layer: l, a: al!.base, params }, lane: { bits: false, w, signed, scale: A.scale } };
}

function gapPiece(l: GlobalAvgpoolLayer, lane: TensorLane): { piece: FrontGap; lane: TensorLane } {
  if (lane.bits) notMapped(l, `globalavgpool layer "${l.name}" reads the sign output "${l.inputs[0]}" (+-1 bits): pooling bits is not mapped yet`, 'quantise the branch (quant) before the pool');
  const hw = prod(l.inShape.slice(0, 2));
  const params = { C: channels(l.inShape), HW: hw, IN_W: lane.w, IN_SIGNED: lane.signed ? 1 : 0 } as const;
  const w = gapOutWidth({ ...params, PE: 1 });
  if (w > MAX_SUM_W) notMapped(l, `globalavgpool layer "${l.name}": sums of ${hw} codes need ${w} bits, expected at most ${MAX_SUM_W}`, 'pool a smaller image');
  return { piece: { kind: 'gap', layer: l, params }, lane: { bits: false, w, signed: lane.signed, scale: lane.scale / hw } };
}

/** An avgpool on a shortcut: the exact window sums of its codes, at the scale divided by the window area. */
function avgpoolPiece(l: AvgpoolLayer, lane: TensorLane): { piece: FrontAvgpool; lane: TensorLane } {
  if (lane.bits) notMapped(l, `avgpool layer "${l.name}" reads the sign output "${l.inputs[0]}" (+-1 bits): pooling bits is not mapped`, 'quantise the branch (quant) before the pool');
  const n = l.pool[0] * l.pool[1];
  const out = windowSumLane(lane, n);
  if (out.w > MAX_SUM_W) notMapped(l, `avgpool layer "${l.name}": sums of ${n} codes need ${out.w} bits, expected at most ${MAX_SUM_W}`, 'use a smaller pool window');
  return { piece: { kind: 'avgpool', layer: l, elem: { w: lane.w, signed: lane.signed } }, lane: { bits: false, ...out, scale: lane.scale / n } };
}

/** Split, check and compile the pieces of a graph (no folding needed). */
export function graphFront(model: Model): GraphFront {
  const reads = readCounts(model);
  const last = model.layers[model.layers.length - 1]!;
  const linearIndex = new Map(model.layers.filter(isLinear).map((l, i) => [l.name, i]));
  const lanes = new Map<string, TensorLane>();
  const laneOf = (reader: Layer, t: string): TensorLane => {
    if (t === INPUT) notMapped(reader, `${reader.type} layer "${reader.name}" reads the model input at a junction (fan-out or add): the model input feeds exactly one chain of layers in hardware`, 'let one layer read the input and branch after its activation');
    return lanes.get(t)!;
  };
  const pieces: FrontPiece[] = [];
  splitGraph(model).forEach((p: Piece) => {
    if (p.kind === 'segment') {
      const type = p.input === INPUT ? model.input.type : inputTypeOf(laneOf(p.layers[0]!, p.input));
      if (p.input === INPUT && reads.get(INPUT)! > 1) laneOf(p.layers[0]!, INPUT);
      const end = p.layers[p.layers.length - 1]!;
      if (!p.layers.some(isLinear)) notMapped(p.layers[0]!, `${p.layers[0]!.type} layer "${p.layers[0]!.name}" starts a run of layers between junctions without a dense or conv2d layer (${p.layers.map((l) => `"${l.name}"`).join(', ')}): such a run is not mapped yet`, 'every branch between a fan-out and an add needs a linear layer, or none at all (an identity shortcut)');
      const sub = segmentModel(model, p, type, end === last ? model.output : 'codes');
      const { ir } = compileFront(sub);
      pieces.push({ kind: 'segment', piece: p, model: sub, ir, linears: p.layers.filter(isLinear).map((l) => linearIndex.get(l.name)!) });
      if (end !== last) lanes.set(end.name, segmentLane(p));
      return;
    }
    const l = p.layer;
    if (l === last) notMapped(l, `${l.type} layer "${l.name}" is the model's output layer: the hardware output is the scores of a linear layer or their argmax`, 'end the model in a dense layer (the classifier)');
    if (l.type === 'avgpool') {
      const r = avgpoolPiece(l, laneOf(l, l.inputs[0]!));
      pieces.push(r.piece);
      lanes.set(l.name, r.lane);
      return;
    }
    const r = l.type === 'add' ? addPiece(l, laneOf(l, l.inputs[0]!), laneOf(l, l.inputs[1]!)) : gapPiece(l as GlobalAvgpoolLayer, laneOf(l, l.inputs[0]!));
    pieces.push(r.piece);
    lanes.set(l.name, r.lane);
  });
  return { model, pieces, reads, ir: foldingIr(model, pieces) };
}

/** The graph's binariser (the segment reading the model input) and its linear stages in file order. */
function foldingIr(model: Model, pieces: FrontPiece[]): IrModel {
  const segs = pieces.filter((p): p is FrontSegment => p.kind === 'segment');
  const first = segs.find((s) => s.piece.input === INPUT)!;
  const stages: IrStage[] = first.ir.stages.filter((s) => s.op === 'binarize');
  const linear = segs.flatMap((s) => s.ir.stages.filter((x) => x.op === 'linear').map((x, k) => ({ x, at: s.linears[k]! })));
  stages.push(...linear.sort((a, b) => a.at - b.at).map((e) => e.x));
  return { name: model.name, input: model.input, stages, output: model.output };
}
