/**
 * segment: check that a model maps onto binary hardware and split it into
 *   prefix (raw input, optionally binarised) -> linear layer + its activation segment -> ... -> last linear + post ops.
 * Rules (README "What the hardware can map"): every linear layer after the first receives only -1/+1
 * values (exactly one sign between linear layers, maxpool / flatten allowed around it, batchnorm / affine
 * only before the sign); the first linear layer takes the raw input, or the input is first binarised by
 * optional batchnorm / affine layers and a sign; after the last linear layer only batchnorm / affine
 * (and flatten) may follow.
 * quant and multithreshold layers (k-bit activations) stand where a sign may stand; the integer engine
 * (`infer`) runs them all, and the hardware maps them all: k-bit code lanes into mvu_int (dense or
 * conv), sliding windows padded with the pad value's code, pools taking the max / min of the codes.
 */
import { fail } from '../diagnostics/diagnostic.js';
import type { Layer, LinearLayer, Model } from '../ir/model.js';
import type { ActivationLayer } from '../ir/model.js';
import { isActivation, isChannelOp, isLinear } from '../ir/model.js';
import { GRAPH_TYPES, firstGraphLayer } from '../ir/graph.js';

export interface Activation {
  /** layers between a linear layer (or the input) and the sign: channel ops, maxpool, flatten */
  pre: Layer[];
  /** the activation: a sign, or a quant / multithreshold (k-bit codes) */
  sign: ActivationLayer;
  /** maxpool / flatten after the sign */
  post: Layer[];
}

export interface Segmented {
  model: Model;
  /** null: the raw input (possibly flattened) feeds the first linear layer */
  binarizer: Activation | null;
  /** flatten layers on the raw input before the first linear layer (when there is no binarizer) */
  inputFlatten: Layer[];
  linears: { layer: LinearLayer; act: Activation | null }[];
  /** after the last linear layer: channel ops and flatten */
  tail: Layer[];
}

const notMappable = (l: Layer, message: string, hint: string): never => fail('BNN040', l.ptr, message, hint);

const kinds = (ls: Layer[]) => ls.map((l) => `${l.type} "${l.name}"`).join(', ');

/** `owner`: '"fc0"' or 'the input'; `next`: the linear layer the activation feeds (null: the end of a segment that outputs codes). */
function activation(ops: Layer[], owner: string, next: Layer | null, atInput: boolean): Activation {
  const signs = ops.filter(isActivation);
  const between = !next ? `after ${owner} at the end of the segment` : atInput ? `between the input and "${next.name}"` : `between ${owner} and "${next.name}"`;
  if (signs.length === 0) {
    const l = ops.find((x) => x.type !== 'flatten') ?? ops[0];
    const what = next ? `"${next.name}" would receive non-binary values` : 'the stream would carry real values, not codes';
    notMappable(l!, `expected a sign ${between}, found only ${kinds(ops)}: ${what}`, next ? 'put a sign layer (after the optional batchnorm) before every linear layer but the first' : 'a junction (add, fan-out, globalavgpool) reads codes: end the branch in a sign, quant or multithreshold');
  }
  if (signs.length > 1) {
    notMappable(signs[1]!, `expected one sign ${between}, found ${signs.length}: ${signs.map((l) => `"${l.name}"`).join(', ')}`, 'remove the extra sign: sign(sign(x)) = sign(x)');
  }
  const at = ops.indexOf(signs[0]!);
  const pre = ops.slice(0, at);
  const post = ops.slice(at + 1);
  for (const l of post) {
    if (l.type !== 'maxpool' && l.type !== 'flatten') {
      notMappable(
        l,
        `${l.type} layer "${l.name}" after the sign "${signs[0]!.name}" is not mappable: expected only maxpool or flatten ${between} after the sign`,
        isChannelOp(l) ? 'move it before the sign, where it folds into the threshold' : 'remove it or move it before the sign',
      );
    }
  }
  let sawPool = false;
  let spatialFlatten = false;
  for (const l of pre) {
    if (l.type === 'maxpool') sawPool = true;
    if (l.type === 'flatten' && l.inShape.length === 3 && l.inShape[0]! * l.inShape[1]! > 1) spatialFlatten = true;
    if (isChannelOp(l) && spatialFlatten && (sawPool || !atInput)) {
      notMappable(l, `${l.type} layer "${l.name}" after flattening an image needs a parameter per pixel, which is not mappable here: expected batchnorm / affine per channel, before the flatten`, 'apply batchnorm / affine before the flatten (per channel)');
    }
  }
  const act = signs[0]!;
  if (act.type === 'multithreshold' && act.rows > 1 && spatialFlatten && !atInput) {
    notMappable(act, `multithreshold layer "${act.name}" after flattening an image has ${act.rows} threshold rows, one per pixel, which is not mappable here: expected one row, or the multithreshold before the flatten`, 'apply the multithreshold before the flatten (one row per channel)');
  }
  return { pre, sign: signs[0]!, post };
}

export interface SegmentOptions {
  /**
   * accept every quant / multithreshold (the integer engine). The hardware now maps every k-bit activation
   * the integer engine runs (dense and conv layers, pools around them), so both paths segment alike;
   * the option stays for the callers that state which path they take.
   */
  multiBit?: boolean;
}

/**
 * Residual graphs (issue 13) take the graph planner's path (graph-front.ts / graph-plan.ts), which
 * compiles each chain segment through here; a whole graph given to the chain passes is refused.
 */
function refuseGraph(model: Model): void {
  const g = firstGraphLayer(model);
  if (!g) return;
  const graphType = GRAPH_TYPES.includes(g.type);
  const why = graphType ? '' : ` reads ${g.inputs.map((n) => `"${n}"`).join(', ')} instead of the layer before it`;
  notMappable(g, `${g.type} layer "${g.name}"${why}: the chain passes take a chain of layers; a residual graph (inputs other than the previous layer, add, globalavgpool, avgpool) goes through the graph planner`, 'the commands route graphs to the graph planner (docs/graphs.md); this message means a chain pass was given a graph');
}

/** The activation a segment with output 'codes' ends in (after its last linear layer): its codes are the output stream. */
function endActivation(ops: Layer[], last: LinearLayer): Activation {
  if (ops.length === 0) {
    notMappable(last, `${last.type} layer "${last.name}" ends a segment without an activation: its output would be real values, expected a sign, quant or multithreshold after it before a junction (add, fan-out, globalavgpool)`, 'end the branch in an activation: the graph hardware sums and pools integer codes');
  }
  return activation(ops, `"${last.name}"`, null, false);
}

export function segment(model: Model, options: SegmentOptions = {}): Segmented {
  refuseGraph(model);
  const idx = model.layers.map((l, i) => (isLinear(l) ? i : -1)).filter((i) => i >= 0);
  if (idx.length === 0) {
    fail('BNN040', '/layers', `expected at least one dense or conv2d layer, found only ${kinds(model.layers)}`, 'a BNN needs at least one linear layer; the last one gives the scores');
  }
  const first = idx[0]!;
  const prefix = model.layers.slice(0, first);
  let binarizer: Activation | null = null;
  let inputFlatten: Layer[] = [];
  if (prefix.some(isActivation)) binarizer = activation(prefix, 'the input', model.layers[first]!, true);
  else {
    for (const l of prefix) {
      if (l.type !== 'flatten') {
        notMappable(l, `${l.type} layer "${l.name}" on the raw input is not mappable without a sign after it: expected only flatten, or batchnorm / affine followed by a sign, before the first linear layer "${model.layers[first]!.name}"`, l.type === 'maxpool' ? 'pool after a sign (binary values), or after the first linear layer' : 'the raw input may only be flattened, or binarised by batchnorm / affine layers followed by a sign');
      }
    }
    inputFlatten = prefix;
  }
  const linears: Segmented['linears'] = [];
  for (let k = 0; k < idx.length; k++) {
    const layer = model.layers[idx[k]!] as LinearLayer;
    if (k + 1 < idx.length) {
      const ops = model.layers.slice(idx[k]! + 1, idx[k + 1]);
      if (ops.length === 0) {
        const next = model.layers[idx[k + 1]!]!;
        notMappable(next, `${next.type} layer "${next.name}" directly follows "${layer.name}": expected a sign between them, found nothing`, 'put batchnorm (optional) and sign between linear layers');
      }
      linears.push({ layer, act: activation(ops, `"${layer.name}"`, model.layers[idx[k + 1]!]!, false) });
    } else if (model.output === 'codes') linears.push({ layer, act: endActivation(model.layers.slice(idx[k]! + 1), layer) });
    else linears.push({ layer, act: null });
  }
  const tail = model.output === 'codes' ? [] : model.layers.slice(idx[idx.length - 1]! + 1);
  for (const l of tail) {
    if (!isChannelOp(l) && l.type !== 'flatten') {
      const last = model.layers[idx[idx.length - 1]!]!;
      notMappable(l, `${l.type} layer "${l.name}" after the last linear layer "${last.name}" is not mappable: expected only batchnorm, affine or flatten there`, l.type === 'sign' ? 'remove it: the output is the scores of the last linear layer or their argmax, not their signs' : 'after the last linear layer only batchnorm / affine (and flatten) may follow; the output is its scores or their argmax');
    }
  }
  void options;
  return { model, binarizer, inputFlatten, linears, tail };
}
