/**
 * planGraph: a residual graph + a folding (entries = the graph's linear layers in file order) -> a
 * GraphHwPlan (graph-types.ts). The pieces come from graph-front.ts; here they get their blocks and
 * stream formats:
 * - a segment: its chain plan (plan.ts) with its slice of the folding (the input PE only for the
 *   segment reading the model input);
 * - a tensor read by n >= 2 layers: a dup (n branches) after its producer;
 * - an add: operand A the smaller scale, B shifted by SHIFT; an input whose tensor the other input's
 *   branch passes through (the identity shortcut) gets a bypass FIFO (both inputs of two parallel
 *   branches do); both
 *   inputs carry the lanes per beat of the long branch (the other input's, or A's);
 * - a globalavgpool: a gap with PE = the lanes of its input;
 * - where producer and consumer lanes per beat differ: a 'convert' edge node (a dwc with the lane format).
 * Bypass FIFOs get a placeholder depth here; flows size them with the cycle model (sim/bypass-sizing.ts).
 */
import { fail } from '../diagnostics/diagnostic.js';
import type { Layer, Model } from '../ir/model.js';
import { prod } from '../ir/model.js';
import { type StreamFormat, streamWidth } from '../blocks/types.js';
import { addOutLane } from '../blocks/kinds/add-sim.js';
import { gapOutWidth } from '../blocks/kinds/gap-sim.js';
import { windowSumBlock, windowSumLane } from '../blocks/window-sum.js';
import type { Folding } from './folding.js';
import { plan } from './plan.js';
import { topModule } from '../util/names.js';
import { type GraphFront, graphFront } from './graph-front.js';
import { type GraphHwPlan, type GraphNode, type NodePort, type PlanEdge, graphBlockInstance, nodeName, nodePorts, segmentInstance } from './graph-types.js';

/** The depth a bypass FIFO has before sizing. */
export const UNSIZED_BYPASS = 2;

interface Source {
  port: NodePort;
  format: StreamFormat;
}

export function planGraph(model: Model, folding: Folding, front: GraphFront = graphFront(model)): GraphHwPlan {
  const nodes: GraphNode[] = [];
  const edges: PlanEdge[] = [];
  /** per tensor: the ports still to hand out (a dup's branches in reader order) */
  const sources = new Map<string, Source[]>();
  let input: GraphHwPlan['input'] | null = null;
  let output: GraphHwPlan['output'] | null = null;
  const push = (n: GraphNode): number => nodes.push(n) - 1;
  const edge = (from: NodePort, to: NodePort, format: StreamFormat) => {
    const [a, b] = [nodes[from.node]!, nodes[to.node]!];
    const name = `${nodeName(a)}${nodePorts(a).outputs > 1 ? `_${from.port}` : ''}_to_${nodeName(b)}${nodePorts(b).inputs > 1 ? `_${to.port}` : ''}`;
    edges.push({ name, from, to, format });
  };
  /** a tensor made at `port`: a dup when several layers read it */
  const produce = (tensor: string, port: NodePort, format: StreamFormat) => {
    const n = front.reads.get(tensor) ?? 0;
    if (n < 2) return void sources.set(tensor, [{ port, format }]);
    const d = push({ kind: 'port', block: { kind: 'dup', name: `${tensor}_dup`, width: streamWidth(format), n } });
    edge(port, { node: d, port: 0 }, format);
    sources.set(tensor, Array.from({ length: n }, (_, k) => ({ port: { node: d, port: k }, format })));
  };
  const take = (tensor: string): Source => sources.get(tensor)!.shift()!;
  /** a source with `need` lanes per beat: through a width converter where they differ */
  const convert = (s: Source, need: StreamFormat, label: string, at: Layer): Source => {
    if (s.format.lanes === need.lanes && s.format.laneW === need.laneW && s.format.signed === need.signed) return s;
    if (s.format.laneW !== need.laneW || s.format.signed !== need.signed) {
      fail('BNN040', at.ptr, `${at.type} layer "${at.name}" reads ${s.format.laneW}-bit ${s.format.signed ? 'signed' : 'unsigned'} codes but its stream needs ${need.laneW}-bit ${need.signed ? 'signed' : 'unsigned'} lanes (a pad code outside the codes it reads): not mapped yet`, 'pad with a value whose code the branch carries (padValue 0 after a quant), or use "valid" padding');
    }
    const w = s.format.laneW;
    const c = push({ kind: 'edge', role: 'convert', block: { kind: 'dwc', name: `${label}_cvt`, inW: streamWidth(s.format), outW: streamWidth(need), lane: w > 1 ? { w, signed: s.format.signed } : null } });
    edge(s.port, { node: c, port: 0 }, s.format);
    return { port: { node: c, port: 0 }, format: need };
  };
  for (const p of front.pieces) {
    if (p.kind === 'segment') {
      const first = p.piece.input === 'input';
      const hw = plan(p.ir, { layers: p.linears.map((i) => folding.layers[i]!), inputPe: first ? folding.inputPe : null });
      const s = first ? null : convert(take(p.piece.input), hw.input, p.piece.name, p.piece.layers[0]!);
      const n = push({ kind: 'segment', name: p.piece.name, model: p.model, plan: hw });
      if (s) edge(s.port, { node: n, port: 0 }, hw.input);
      else input = { node: n, port: 0, format: hw.input };
      const end = p.piece.layers[p.piece.layers.length - 1]!;
      if (hw.output.kind === 'codes') produce(end.name, { node: n, port: 0 }, hw.output);
      else output = { node: n, port: 0, format: { ...hw.output, kind: hw.output.kind } };
    } else if (p.kind === 'add') {
      const l = p.layer;
      const srcs = l.inputs.map(take) as [Source, Source];
      srcs.forEach((x, k) => sameLane(x.format, k === p.a ? p.params.A_W : p.params.B_W, (k === p.a ? p.params.A_SIGNED : p.params.B_SIGNED) === 1, `add "${l.name}" input ${k}`));
      // the identity shortcut: an input whose tensor the other input's branch passes through (it waits for
      // that branch); two parallel branches from a common fan-out both get one (the sizing finds which waits)
      const direct = l.inputs.map((t, k) => feedsInto(model, t, l.inputs[1 - k]!));
      const bypass = direct[0] !== direct[1] ? direct : [true, true];
      const long = bypass[0] && bypass[1] ? p.a : bypass[0] ? 1 : 0;
      const lanes = srcs[long]!.format.lanes;
      const beats = prod(l.inShape) / lanes;
      const params = { ...p.params, PE: lanes };
      const ready = srcs.map((s, k) => {
        let src = s;
        if (bypass[k]) {
          const f = push({ kind: 'edge', role: 'bypass', feeds: l.name, block: { kind: 'fifo', name: `${l.name}_bypass${bypass[0] && bypass[1] ? k : ''}`, width: streamWidth(s.format), depth: UNSIZED_BYPASS } });
          edge(s.port, { node: f, port: 0 }, s.format);
          src = { port: { node: f, port: 0 }, format: s.format };
        }
        return convert(src, { ...s.format, lanes, beats }, `${l.name}_${k === p.a ? 'a' : 'b'}`, l);
      });
      const n = push({ kind: 'port', block: { kind: 'add', name: l.name, params } });
      ready.forEach((s, k) => edge(s.port, { node: n, port: k === p.a ? 0 : 1 }, s.format));
      const out = addOutLane(params);
      produce(l.name, { node: n, port: 0 }, { lanes, laneW: out.w, signed: out.signed, beats });
    } else if (p.kind === 'avgpool') {
      // the shortcut's window sum: PE = the lanes it reads (a width converter first where they do not divide the channels)
      const l = p.layer;
      const [h, w, c] = l.inShape as [number, number, number];
      let s = take(l.inputs[0]!);
      sameLane(s.format, p.elem.w, p.elem.signed, `avgpool "${l.name}"`);
      if (c % s.format.lanes !== 0) s = convert(s, { ...s.format, lanes: 1, beats: prod(l.inShape) }, l.name, l);
      const pe = s.format.lanes;
      const n = push({ kind: 'edge', role: 'shortcut', block: windowSumBlock(l.name, [h, w, c], l.pool, l.strides, pe, p.elem) });
      edge(s.port, { node: n, port: 0 }, s.format);
      const out = windowSumLane(p.elem, l.pool[0] * l.pool[1]);
      produce(l.name, { node: n, port: 0 }, { lanes: pe, laneW: out.w, signed: out.signed, beats: prod(l.outShape) / pe });
    } else {
      const s = take(p.layer.inputs[0]!);
      sameLane(s.format, p.params.IN_W, p.params.IN_SIGNED === 1, `globalavgpool "${p.layer.name}"`);
      const pe = s.format.lanes;
      if (p.params.C % pe !== 0) fail('BNN040', p.layer.ptr, `globalavgpool layer "${p.layer.name}": its input carries ${pe} lanes per beat, which do not divide its ${p.params.C} channels`, 'choose a PE of the layer before it that divides the channel count');
      const params = { ...p.params, PE: pe };
      const n = push({ kind: 'port', block: { kind: 'gap', name: p.layer.name, params } });
      edge(s.port, { node: n, port: 0 }, s.format);
      produce(p.layer.name, { node: n, port: 0 }, { lanes: pe, laneW: gapOutWidth(params), signed: params.IN_SIGNED === 1, beats: params.C / pe });
    }
  }
  checkNames(model, nodes, edges);
  return { name: model.name, top: topModule(model.name), model, folding, nodes, edges, input: input!, output: output!, cyclesPerFrame: graphCycles(nodes, edges), bypass: [] };
}

/**
 * The names the planner makes (`<tensor>_dup`, `<add>_bypass`, `<label>_cvt`, edges `<a>_to_<b>`) become
 * instances (`u_<block>`, `u_seg_<segment>`), wires and stream names: a layer name that makes two of
 * them equal is refused (BNN048) rather than emitted as clashing Verilog.
 */
function checkNames(model: Model, nodes: GraphNode[], edges: PlanEdge[]): void {
  const seen = new Map<string, string>();
  const claim = (name: string, what: string) => {
    const other = seen.get(name);
    if (other !== undefined) {
      const layer = model.layers.find((l) => name.includes(l.name));
      fail('BNN048', layer?.ptr ?? '', `the names bnn-hw derives from the layer names collide: "${name}" would name both ${other} and ${what}`, 'rename the layer whose name ends like a derived one (_dup, _bypass, _cvt, _to_<layer>)');
    }
    seen.set(name, what);
  };
  for (const n of nodes) claim(n.kind === 'segment' ? segmentInstance(n.name) : graphBlockInstance(n.block.name), `${n.kind === 'segment' ? 'segment' : n.block.kind} "${nodeName(n)}"`);
  for (const e of edges) claim(e.name, `the stream "${e.name}"`);
}

/** True when tensor `a` lies on a path into tensor `b` (b is computed from a). */
function feedsInto(model: Model, a: string, b: string): boolean {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const seen = new Set<string>();
  const todo = [b];
  while (todo.length) {
    const t = todo.pop()!;
    if (t === a) return true;
    if (seen.has(t)) continue;
    seen.add(t);
    todo.push(...(byName.get(t)?.inputs ?? []));
  }
  return false;
}

/** The lanes a stream carries are the lanes its junction was given by graph-front (one rule, checked where both meet). */
function sameLane(f: StreamFormat, w: number, signed: boolean, what: string): void {
  if (f.laneW !== w || f.signed !== signed) throw new Error(`internal: ${what} reads ${f.laneW}-bit ${f.signed ? 'signed' : 'unsigned'} lanes, its parameters say ${w}-bit ${signed ? 'signed' : 'unsigned'}`);
}

/** The slowest node's cycles per frame: every segment's own, and one beat per cycle on every port edge. */
function graphCycles(nodes: GraphNode[], edges: PlanEdge[]): number {
  let c = 0;
  for (const n of nodes) if (n.kind === 'segment') c = Math.max(c, n.plan.cyclesPerFrame);
  for (const e of edges) c = Math.max(c, e.format.beats);
  return c;
}
