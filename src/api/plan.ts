/** The folding and the planned design of a model: per layer PE, SIMD and cycles, cycles per frame and latency. */
import type { FoldOptions } from '../flows/build.js';
import { planDesign } from '../flows/build.js';
import { manifest } from '../flows/design.js';
import { planGraphDesign } from '../flows/graph-build.js';
import { firstGraphLayer } from '../ir/graph.js';
import type { Model } from '../ir/model.js';
import { nodeName } from '../passes/graph-types.js';
import { type ModelSource, loadModel } from './model.js';
import { flag, optionsObject, positiveNumber, text, withDiagnostics } from './options.js';
import { describeValue, fail } from '../diagnostics/diagnostic.js';

export type { FoldOptions } from '../flows/build.js';

/** One layer of the design as the manifest (manifest.json, `generate --json`) lists it. */
export type ManifestLayer = ReturnType<typeof manifest>['layers'][number];

export interface PlanReport {
  layers: ManifestLayer[];
  cyclesPerFrame: number;
  latencyCycles: number;
  /** residual graphs (docs/graphs.md): every node of the graph plan (layers holds its segments' layers) and the sized bypass FIFOs */
  graph?: {
    nodes: { name: string; kind: string; cyclesPerFrame: number | null }[];
    bypass: { name: string; add: string; depth: number; exact: number; origin: string }[];
  };
}

/** The plan report of a residual graph: its segments' layers, every node and the bypass FIFOs. */
function graphReport(m: Model, fold: FoldOptions): PlanReport {
  const { plan: p, timing } = planGraphDesign(m, fold);
  const layers = p.nodes.flatMap((n) => (n.kind === 'segment' ? manifest(n.plan, timing, []).layers : []));
  const nodes = p.nodes.map((n) => ({ name: nodeName(n), kind: n.kind === 'segment' ? 'segment' : n.kind === 'port' ? n.block.kind : n.role, cyclesPerFrame: n.kind === 'segment' ? n.plan.cyclesPerFrame : null }));
  const bypass = p.bypass.map((b) => ({ name: nodeName(p.nodes[b.node]!), add: b.add, depth: b.depth, exact: b.exact, origin: b.origin }));
  return { layers, cyclesPerFrame: timing.cyclesPerFrame, latencyCycles: timing.latencyCycles, graph: { nodes, bypass } };
}

/** The folding options, checked as the command line's parser checks --fold, --target-fps, --clock-mhz, --device, --max-fps, --no-size-fifos. */
export function foldOptionsOf(o: Partial<FoldOptions>): FoldOptions {
  if (o.fold !== undefined && typeof o.fold !== 'string' && (o.fold === null || typeof o.fold !== 'object')) {
    fail('BNN087', '', `option 'fold' must be a folding file's path or its JSON value, found ${describeValue(o.fold)}`, 'for example {"layers": [{"pe": 16, "simd": 49}, ...]}');
  }
  const out: FoldOptions = {};
  if (o.fold !== undefined) out.fold = typeof o.fold === 'string' ? text('fold', o.fold, true) : o.fold;
  const targetFps = positiveNumber('targetFps', o.targetFps);
  const clockMhz = positiveNumber('clockMhz', o.clockMhz);
  const sizeFifos = flag('sizeFifos', o.sizeFifos);
  const device = text('device', o.device);
  const maxFps = flag('maxFps', o.maxFps);
  if (targetFps !== undefined) out.targetFps = targetFps;
  if (clockMhz !== undefined) out.clockMhz = clockMhz;
  if (sizeFifos !== undefined) out.sizeFifos = sizeFifos;
  if (device !== undefined) out.device = device;
  if (maxFps !== undefined) out.maxFps = maxFps;
  return out;
}

/** The manifest's `layers`, `cyclesPerFrame` and `latencyCycles` of the design `generate` would write (nothing is written). */
export function plan(model: ModelSource, options?: FoldOptions): PlanReport {
  return withDiagnostics(() => {
    const m = loadModel(model);
    if (firstGraphLayer(m)) return graphReport(m, foldOptionsOf(optionsObject(options)));
    const planned = planDesign(m, foldOptionsOf(optionsObject(options)));
    const { layers, cyclesPerFrame, latencyCycles } = manifest(planned.plan, planned.timing, []);
    return { layers, cyclesPerFrame, latencyCycles };
  });
}
