/**
 * Resource-aware folding: choose PE / SIMD per layer so that the design reaches a frame rate with the
 * fewest LUTs while fitting a device (FINN's SetFolding looks at cycles only), find the fastest
 * folding that fits (--max-fps), and sweep the rate / LUT trade-off (Pareto chart).
 *
 * Method: every linear layer has candidates (PE | MH, SIMD a legal divisor) whose cycles meet the
 * target. A candidate's cost is the estimate of the wrapper groups it determines (its FIFO, sliding
 * window, MVU and ROMs; the input binarisation for the first layer, pools after it, the argmax for
 * the last one), taken from the planner itself; a width converter between two layers is a
 * transition cost of the adjacent pair. Dynamic programming over the layer chain minimises
 * LUT + sum over resources of lambda_r * use_r / capacity_r; lambda starts at 0 and is raised for
 * every resource over capacity until the choice fits (Lagrangian relaxation).
 */
import { fail } from '../diagnostics/diagnostic.js';
import type { IrLinear, IrModel } from '../ir/types.js';
import { linearStages } from '../ir/types.js';
import { divisors, layerCycles, simdChoices, type Folding, type LayerFold } from '../passes/folding.js';
import { plan, type HwPlan } from '../passes/plan.js';
import type { Group } from '../passes/layers.js';
import { kindOf, type Registry } from '../blocks/registry.js';
import type { Device, Fabric } from './devices.js';
import { addRes, estimateBlock, ZERO, type Resources } from './resources.js';
import { capacities, estimatePlan, fitVerdict, type FitVerdict, type PlanEstimate, type ResourceKey } from './estimate.js';

interface Cand {
  fold: LayerFold;
  cycles: number;
  res: Resources;
  /** width of the stream this layer's MVU takes (SIMD * element bits) and produces */
  inW: number;
  outW: number;
  binaryIn: boolean;
}

export interface SearchResult {
  folding: Folding;
  plan: HwPlan;
  estimate: PlanEstimate;
  verdict: FitVerdict | null;
  cyclesPerFrame: number;
}

const KEYS: ResourceKey[] = ['lut', 'ff', 'bram18', 'ebr', 'dsp', 'lutram'];

/** Candidate lists with per-layer costs (cached per model and fabric). */
class CandidateTable {
  private cache = new Map<string, Cand>();
  readonly layers: IrLinear[];
  constructor(readonly ir: IrModel, readonly fabric: Fabric, readonly registry?: Registry) {
    this.layers = linearStages(ir);
  }

  all(i: number): LayerFold[] {
    const l = this.layers[i]!;
    return divisors(l.mh).flatMap((pe) => simdChoices(l).map((simd) => ({ pe, simd })));
  }

  cand(i: number, f: LayerFold): Cand {
    const key = `${i}:${f.pe}:${f.simd}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const layers = this.layers.map((l, j) => (j === i ? f : { pe: 1, simd: simdChoices(l)[0]! }));
    const p = plan(this.ir, { layers, inputPe: null });
    const owner = groupOwners(p, this.registry);
    let res: Resources = { ...ZERO };
    for (const [g, idx] of owner) if (idx === i) for (const b of g.blocks) if (kindOf(b, this.registry).search !== 'transition') res = addRes(res, estimateBlock(b, { fabric: this.fabric, exactWeights: false }, this.registry));
    // the layer's own compute block: its stream widths decide the width converters around it
    const own = owner.find(([g, idx]) => idx === i && kindOf(g.compute, this.registry).search === 'layer')?.[0].compute;
    const inW = own ? kindOf(own, this.registry).inWidth(own) : f.simd;
    const outW = own ? kindOf(own, this.registry).outWidth(own) : f.pe;
    // a layer after another reads its bits or k-bit codes through a width converter when the widths differ
    const c: Cand = { fold: f, cycles: layerCycles(this.layers[i]!, f), res, inW, outW, binaryIn: this.layers[i]!.input === 'binary' || i > 0 };
    this.cache.set(key, c);
    return c;
  }

  transition(p: Cand, c: Cand): Resources {
    if (!c.binaryIn || p.outW === c.inW) return { ...ZERO };
    return estimateBlock({ kind: 'dwc', name: 'dwc', inW: p.outW, outW: c.inW, lane: null }, { fabric: this.fabric });
  }
}

/**
 * Which linear layer (index) decides each wrapper group: a layer's own group, and the groups its kind
 * prices with the layer after it ('next': the input binarisation) or before it ('previous': pools, the
 * argmax).
 */
export function groupOwners(p: HwPlan, registry?: Registry): [Group, number][] {
  let idx = 0;
  let layer = -1;
  const out: [Group, number][] = [];
  const waiting: [Group, number][] = [];
  for (const g of p.layers) {
    const s = kindOf(g.compute, registry).search;
    const entry: [Group, number] = [g, idx];
    out.push(entry);
    if (s === 'layer') {
      idx = ++layer;
      entry[1] = idx;
      for (const w of waiting.splice(0)) w[1] = idx;
    } else if (s === 'next') waiting.push(entry);
  }
  return out;
}

function score(r: Resources, lambda: Record<ResourceKey, number>, cap: Record<ResourceKey, number> | null): number {
  let s = r.lut;
  if (cap) for (const k of KEYS) if (lambda[k] > 0 && cap[k] > 0) s += (lambda[k] * r[k]) / cap[k];
  return s;
}

function dp(t: CandidateTable, cands: Cand[][], lambda: Record<ResourceKey, number>, cap: Record<ResourceKey, number> | null): number[] {
  const n = cands.length;
  const best: number[][] = [];
  const from: number[][] = [];
  best.push(cands[0]!.map((c) => score(c.res, lambda, cap)));
  from.push(cands[0]!.map(() => -1));
  for (let i = 1; i < n; i++) {
    const b: number[] = [];
    const f: number[] = [];
    cands[i]!.forEach((c) => {
      let v = Infinity;
      let arg = -1;
      cands[i - 1]!.forEach((p, j) => {
        const s = best[i - 1]![j]! + score(t.transition(p, c), lambda, cap);
        if (s < v) {
          v = s;
          arg = j;
        }
      });
      b.push(v + score(c.res, lambda, cap));
      f.push(arg);
    });
    best.push(b);
    from.push(f);
  }
  let k = best[n - 1]!.indexOf(Math.min(...best[n - 1]!));
  const pick = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    pick[i] = k;
    k = from[i]![k]!;
  }
  return pick;
}

function candidatesFor(t: CandidateTable, target: number): Cand[][] | { layer: IrLinear; fastest: number } {
  const out: Cand[][] = [];
  for (let i = 0; i < t.layers.length; i++) {
    const ok = t.all(i).filter((f) => layerCycles(t.layers[i]!, f) <= target);
    if (ok.length === 0) {
      const l = t.layers[i]!;
      return { layer: l, fastest: layerCycles(l, { pe: l.mh, simd: Math.max(...simdChoices(l)) }) };
    }
    out.push(ok.map((f) => t.cand(i, f)));
  }
  return out;
}

function result(ir: IrModel, folding: Folding, fabric: Fabric, device: Device | null): SearchResult {
  const p = plan(ir, folding);
  const estimate = estimatePlan(p, { fabric });
  return { folding, plan: p, estimate, verdict: device ? fitVerdict(estimate, device) : null, cyclesPerFrame: p.cyclesPerFrame };
}

const tables = new WeakMap<IrModel, Map<Fabric, CandidateTable>>();
function table(ir: IrModel, fabric: Fabric): CandidateTable {
  let m = tables.get(ir);
  if (!m) tables.set(ir, (m = new Map()));
  let t = m.get(fabric);
  if (!t) m.set(fabric, (t = new CandidateTable(ir, fabric)));
  return t;
}

/**
 * The folding with the fewest estimated LUTs whose every layer meets `target` cycles per frame and
 * that fits `device` (when given). Returns null (or fails, with `strict`) when nothing fits.
 */
export function foldForResources(ir: IrModel, target: number, device: Device | null, fabric: Fabric, strict = true, slowest = false): SearchResult | null {
  if (!(target >= 1)) fail('BNN083', '', `the target rate needs ${target} cycles per frame, fewer than one`, 'lower --target-fps or raise --clock-mhz');
  const t = table(ir, fabric);
  const cands = candidatesFor(t, target);
  if (!Array.isArray(cands)) {
    if (!strict) return null;
    return fail('BNN083', cands.layer.ptr, `layer "${cands.layer.name}" cannot reach ${target} cycles per frame: its most parallel folding takes ${cands.fastest}`, 'lower --target-fps or raise --clock-mhz');
  }
  const cap = device ? capacities(device) : null;
  const lambda: Record<ResourceKey, number> = { lut: 0, ff: 0, bram18: 0, ebr: 0, dsp: 0, lutram: 0 };
  let first: SearchResult | null = null;
  for (let iter = 0; iter < 24; iter++) {
    const pick = dp(t, cands, lambda, cap);
    const folding: Folding = { layers: pick.map((k, i) => cands[i]![k]!.fold), inputPe: null };
    const r = result(ir, folding, fabric, device);
    first ??= r;
    if (!device || r.verdict!.fits) return r;
    // raise the price of every resource over capacity
    let raised = false;
    for (const k of KEYS) {
      if (r.estimate.total[k] > cap![k]) {
        lambda[k] = lambda[k] === 0 ? Math.max(1, r.estimate.total.lut) : lambda[k] * 4;
        raised = true;
      }
    }
    if (!raised) break;
  }
  if (!strict) return null;
  return notFit(ir, target, device!, first!.verdict!.binding, slowest);
}

/** BNN085: nothing fits; names the binding resource and the layer that uses most of it. */
function notFit(ir: IrModel, target: number, device: Device, v: FitVerdict['binding'], slowest: boolean): never {
  const ptr = linearStages(ir).find((l) => l.name === v.layer)?.ptr ?? '';
  const need = `needs ${v.used} ${v.resource} of ${v.capacity} (${Math.round(v.utilisation * 100)}%), most of it in layer "${v.layer}"`;
  if (slowest) {
    return fail('BNN085', ptr, `${ir.name} does not fit ${device.name} at any folding: even the most folded design (${target} cycles per frame) ${need}`, 'pick a larger --device; block RAM for weights grows with the layer size, not with the folding');
  }
  return fail(
    'BNN085', ptr,
    `no folding reaching ${target} cycles per frame fits ${device.name}: the least-LUT choice ${need}`,
    'lower --target-fps, raise --clock-mhz, or pick a larger --device (bnn-hw estimate --max-fps --device D finds the fastest rate that fits)',
  );
}

/** Distinct frame-cycle targets a model can reach (sorted ascending). */
export function cycleTargets(ir: IrModel): number[] {
  const set = new Set<number>();
  for (const l of linearStages(ir)) for (const pe of divisors(l.mh)) for (const simd of simdChoices(l)) set.add(layerCycles(l, { pe, simd }));
  return [...set].sort((a, b) => a - b);
}

/** The fastest folding (fewest cycles per frame) that fits the device, fewest LUTs among those. */
export function maxFpsFolding(ir: IrModel, device: Device): SearchResult {
  const targets = cycleTargets(ir);
  const minReach = Math.max(...linearStages(ir).map((l) => layerCycles(l, { pe: l.mh, simd: Math.max(...simdChoices(l)) })));
  const ts = targets.filter((c) => c >= minReach);
  let lo = 0;
  let hi = ts.length - 1;
  if (!foldForResources(ir, ts[hi]!, device, device.fabric, false)) {
    // even the slowest folding does not fit: report why
    foldForResources(ir, ts[hi]!, device, device.fabric, true, true);
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (foldForResources(ir, ts[mid]!, device, device.fabric, false)) hi = mid;
    else lo = mid + 1;
  }
  return foldForResources(ir, ts[lo]!, device, device.fabric, true)!;
}

export interface ParetoPoint {
  cyclesPerFrame: number;
  fps: number;
  lut: number;
  ff: number;
  bram18: number;
  ebr: number;
  fits: boolean | null;
  folding: LayerFold[];
  pareto: boolean;
}

/** Rate / LUT trade-off: the least-LUT folding at up to `maxPoints` cycle targets, Pareto front marked. */
export function paretoSweep(ir: IrModel, fabric: Fabric, clockMhz: number, device: Device | null, maxPoints = 48): ParetoPoint[] {
  const minReach = Math.max(...linearStages(ir).map((l) => layerCycles(l, { pe: l.mh, simd: Math.max(...simdChoices(l)) })));
  let ts = cycleTargets(ir).filter((c) => c >= minReach);
  if (ts.length > maxPoints) {
    const picked = new Set<number>();
    for (let k = 0; k < maxPoints; k++) picked.add(ts[Math.round((k * (ts.length - 1)) / (maxPoints - 1))]!);
    ts = [...picked];
  }
  const pts: ParetoPoint[] = [];
  const seen = new Set<string>();
  for (const c of ts) {
    const r = foldForResources(ir, c, null, fabric, false);
    if (!r) continue;
    const key = JSON.stringify(r.folding.layers);
    if (seen.has(key)) continue;
    seen.add(key);
    const v = device ? fitVerdict(r.estimate, device) : null;
    pts.push({
      cyclesPerFrame: r.cyclesPerFrame, fps: (clockMhz * 1e6) / r.cyclesPerFrame, lut: r.estimate.total.lut, ff: r.estimate.total.ff,
      bram18: r.estimate.total.bram18, ebr: r.estimate.total.ebr, fits: v ? v.fits : null, folding: r.folding.layers, pareto: false,
    });
  }
  pts.sort((a, b) => a.lut - b.lut || b.fps - a.fps);
  let bestFps = -1;
  for (const p of pts) {
    if (p.fps > bestFps) {
      p.pareto = true;
      bestFps = p.fps;
    }
  }
  return pts;
}
