/**
 * The decomposition of a residual graph (issue 13) into pieces, in file order: chain segments (every
 * maximal run of layers between junctions, each layer reading only the one before it, whose output no
 * other layer reads) and the junction layers (add, globalavgpool, avgpool). A tensor read by two or more
 * layers is a fan-out (a dup in hardware). A segment becomes a chain sub-model (segmentModel) whose
 * input is the stream it reads: the model input, or codes of the junction tensor (InputType 'codes',
 * never read from a file).
 */
import type { AddLayer, AvgpoolLayer, GlobalAvgpoolLayer, InputType, Layer, Model } from '../ir/model.js';
import { INPUT } from '../ir/model.js';

export interface SegmentPiece {
  kind: 'segment';
  /** its first layer's name */
  name: string;
  /** the tensor it reads (INPUT or a layer name) */
  input: string;
  layers: Layer[];
}
export interface JunctionPiece {
  kind: 'junction';
  layer: AddLayer | GlobalAvgpoolLayer | AvgpoolLayer;
}
export type Piece = SegmentPiece | JunctionPiece;

const isJunction = (l: Layer): l is JunctionPiece['layer'] => l.type === 'add' || l.type === 'globalavgpool' || l.type === 'avgpool';

/** How many times each tensor is read (an add reading one tensor twice counts twice). */
export function readCounts(model: Model): Map<string, number> {
  const n = new Map<string, number>();
  for (const l of model.layers) for (const t of l.inputs) n.set(t, (n.get(t) ?? 0) + 1);
  return n;
}

/** The pieces of a graph in file order (a segment is listed where its first layer stands). */
export function splitGraph(model: Model): Piece[] {
  const reads = readCounts(model);
  const pieces: Piece[] = [];
  /** the open segment whose last layer made the tensor */
  const open = new Map<string, SegmentPiece>();
  for (const l of model.layers) {
    if (isJunction(l)) {
      pieces.push({ kind: 'junction', layer: l });
      continue;
    }
    const t = l.inputs[0]!;
    const seg = open.get(t);
    open.delete(t);
    if (seg && reads.get(t) === 1) {
      seg.layers.push(l);
      open.set(l.name, seg);
    } else {
      const s: SegmentPiece = { kind: 'segment', name: l.name, input: t, layers: [l] };
      pieces.push(s);
      open.set(l.name, s);
    }
  }
  return pieces;
}

/**
 * The chain sub-model of a segment: its layers reading each the one before (the first the input), the
 * given input type, output 'codes' (ends in an activation whose codes the junction reads) or the
 * model's output (the segment holding the model's last layer).
 */
export function segmentModel(model: Model, seg: SegmentPiece, type: InputType, output: Model['output']): Model {
  const layers = seg.layers.map((l, i) => ({ ...l, inputs: [i === 0 ? INPUT : seg.layers[i - 1]!.name] }));
  return { name: `${model.name}_${seg.name}`, input: { shape: seg.layers[0]!.inShape, type }, layers, output };
}
