/**
 * Folding: how many neurons (PE) and input bits per neuron (SIMD) each linear layer computes per cycle.
 * Sources, in order of precedence: a folding file (bnn-hw form or FINN's folding_config.json form),
 * a target rate (--target-fps with --clock-mhz: the cheapest PE x SIMD per layer that meets it), or
 * the fully folded default PE = SIMD = 1.
 */
import { readInputText } from '../util/input-file.js';
import { DiagnosticError, fail } from '../diagnostics/diagnostic.js';
import { parseJson } from '../frontend/json.js';
import type { IrLinear, IrModel } from '../ir/types.js';
import { linearStages } from '../ir/types.js';
import type { MvuIntDatapath } from '../blocks/popcount-plan.js';

export interface LayerFold {
  pe: number;
  simd: number;
  /** datapath of an integer-input layer (bnn_mvu_int DATAPATH); absent: the compiler's choice rule */
  datapath?: MvuIntDatapath;
}

export interface Folding {
  layers: LayerFold[];
  /** elements per beat of the input binarisation stage (default: the first layer's SIMD) */
  inputPe: number | null;
}

/** Output positions per frame (1 for dense). */
export const positions = (l: IrLinear): number => (l.conv ? l.outShape[0]! * l.outShape[1]! : 1);
export const layerCycles = (l: IrLinear, f: LayerFold): number => positions(l) * (l.mh / f.pe) * (l.mw / f.simd);

/** SIMD values a layer accepts: divisors of the fan-in, or of the input channels for a convolution. */
export const simdChoices = (l: IrLinear): number[] => (l.conv ? divisors(l.inShape[2]!) : divisors(l.mw));

export const divisors = (n: number): number[] => {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
};

/** Read a folding file: {"layers": [{"pe", "simd"}...] | {name: {...}}, "input": {"pe"}} or FINN's form. */
export function readFolding(path: string, ir: IrModel): Folding {
  const text = readInputText(path, 'folding');
  try {
    return parseFolding(parseJson(text, 'folding file'), ir);
  } catch (e) {
    if (e instanceof DiagnosticError) for (const d of e.diagnostics) d.file ??= path;
    throw e;
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);

function fieldOf(o: unknown, ...keys: string[]): unknown {
  if (o === null || typeof o !== 'object') return undefined;
  for (const k of keys) if (k in (o as Record<string, unknown>)) return (o as Record<string, unknown>)[k];
  return undefined;
}

/** The optional "datapath" of a layer entry ("addsub" or "bitplane"), kept with its JSON pointer for checkFolding. */
function withDatapath(f: LayerFold, o: unknown, ptr: string): LayerFold {
  const d = fieldOf(o, 'datapath');
  if (d === undefined) return f;
  if (d !== 'addsub' && d !== 'bitplane') fail('BNN052', `${ptr}/datapath`, `"datapath" is ${JSON.stringify(d)}; expected "addsub" or "bitplane"`, 'leave it out to let the compiler choose (docs/kbit-datapath.md)');
  return { ...f, datapath: d };
}

export function parseFolding(v: unknown, ir: IrModel): Folding {
  const layers = linearStages(ir);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail('BNN080', '', 'a folding file must be a JSON object', 'see `bnn-hw generate --help` for the two accepted forms');
  const o = v as Record<string, unknown>;
  const finnKeys = Object.keys(o).filter((k) => /^(MVAU|MatrixVectorActivation|StreamingFCLayer)(_hls|_rtl|_Batch)?_\d+$/.test(k));
  const got: (LayerFold | null)[] = layers.map(() => null);
  let inputPe: number | null = null;
  if (finnKeys.length > 0) {
    for (const k of finnKeys) {
      const i = Number(/_(\d+)$/.exec(k)![1]);
      if (i >= layers.length) fail('BNN081', `/${k}`, `FINN folding names ${k} but the model has ${layers.length} linear layers`, 'MVAU_<i> is the i-th dense / conv2d layer in model order');
      const pe = num(fieldOf(o[k], 'PE'));
      const simd = num(fieldOf(o[k], 'SIMD'));
      if (pe === null || simd === null) fail('BNN081', `/${k}`, `${k} needs positive integer PE and SIMD`);
      got[i] = { pe, simd };
    }
    const th = Object.keys(o).find((k) => /^Thresholding(_hls|_rtl|_Batch)?_0$/.test(k));
    if (th) inputPe = num(fieldOf(o[th], 'PE'));
  } else {
    const ls = o['layers'];
    if (Array.isArray(ls)) {
      if (ls.length !== layers.length) fail('BNN081', '/layers', `folding lists ${ls.length} layers but the model has ${layers.length} linear layers`, `layers in order: ${layers.map((l) => l.name).join(', ')}`);
      ls.forEach((f, i) => {
        const pe = num(fieldOf(f, 'pe', 'PE'));
        const simd = num(fieldOf(f, 'simd', 'SIMD'));
        if (pe === null || simd === null) fail('BNN081', `/layers/${i}`, 'each layer needs positive integer "pe" and "simd"');
        got[i] = withDatapath({ pe, simd }, f, `/layers/${i}`);
      });
    } else if (ls !== null && typeof ls === 'object') {
      for (const [name, f] of Object.entries(ls as Record<string, unknown>)) {
        const i = layers.findIndex((l) => l.name === name);
        if (i < 0) fail('BNN081', `/layers/${name}`, `folding names layer "${name}", which is not a linear layer of the model`, `linear layers: ${layers.map((l) => l.name).join(', ')}`);
        const pe = num(fieldOf(f, 'pe', 'PE'));
        const simd = num(fieldOf(f, 'simd', 'SIMD'));
        if (pe === null || simd === null) fail('BNN081', `/layers/${name}`, 'each layer needs positive integer "pe" and "simd"');
        got[i] = withDatapath({ pe, simd }, f, `/layers/${name}`);
      }
    } else fail('BNN080', '', 'folding file has neither "layers" nor FINN MVAU_<i> entries', 'write {"layers": [{"pe": 16, "simd": 49}, ...]} or use FINN\'s folding_config.json');
    const inp = fieldOf(o['input'], 'pe', 'PE');
    if (inp !== undefined) inputPe = num(inp);
  }
  const missing = got.findIndex((g) => g === null);
  if (missing >= 0) fail('BNN081', '', `folding gives no PE/SIMD for layer "${layers[missing]!.name}" (linear layer ${missing})`, 'give every dense / conv2d layer a PE and SIMD');
  const folding = { layers: got as LayerFold[], inputPe };
  checkFolding(ir, folding);
  return folding;
}

export function checkFolding(ir: IrModel, f: Folding): void {
  linearStages(ir).forEach((l, i) => {
    const { pe, simd, datapath } = f.layers[i]!;
    if (datapath !== undefined && l.input === 'binary') {
      fail('BNN053', `/layers/${i}/datapath`, `layer "${l.name}" has binary inputs (an XNOR-popcount layer): "datapath" applies only to a first layer on integer inputs`, 'remove "datapath" from this layer');
    }
    if (l.mh % pe !== 0) fail('BNN082', `/layers/${i}`, `layer "${l.name}": PE ${pe} does not divide its ${l.mh} neurons`, `PE must be one of ${divisors(l.mh).join(', ')}`);
    if (l.conv && l.inShape[2]! % simd !== 0) {
      fail('BNN082', `/layers/${i}`, `layer "${l.name}": SIMD ${simd} does not divide its ${l.inShape[2]} input channels`, `the sliding window streams SIMD channels of one pixel per beat; SIMD must be one of ${simdChoices(l).join(', ')}`);
    }
    if (l.mw % simd !== 0) {
      fail('BNN082', `/layers/${i}`, `layer "${l.name}": SIMD ${simd} does not divide its fan-in ${l.mw}`, `SIMD must be one of ${divisors(l.mw).join(', ')} (padding the fan-in is not supported yet)`);
    }
  });
  const bin = ir.stages.find((s) => s.op === 'binarize');
  if (f.inputPe !== null && bin) {
    const frame = bin.shape.reduce((a, b) => a * b, 1);
    if (frame % f.inputPe !== 0) fail('BNN082', '/input', `input PE ${f.inputPe} does not divide the ${frame} input elements`, `input PE must be one of ${divisors(frame).join(', ')}`);
  }
}

/** The cheapest folding per layer (fewest PE x SIMD, then more SIMD) whose cycles meet the target. */
export function foldForTarget(ir: IrModel, targetCycles: number): Folding {
  if (!(targetCycles >= 1)) fail('BNN083', '', `the target rate needs ${targetCycles} cycles per frame, fewer than one`, 'lower --target-fps or raise --clock-mhz');
  const layers = linearStages(ir).map((l) => {
    let best: LayerFold | null = null;
    for (const pe of divisors(l.mh)) {
      for (const simd of simdChoices(l)) {
        if (layerCycles(l, { pe, simd }) > targetCycles) continue;
        const cost = pe * simd;
        const bc = best ? best.pe * best.simd : Infinity;
        if (cost < bc || (cost === bc && simd > best!.simd)) best = { pe, simd };
      }
    }
    if (!best) {
      const fastest = layerCycles(l, { pe: l.mh, simd: Math.max(...simdChoices(l)) });
      fail('BNN083', l.ptr, `layer "${l.name}" cannot reach ${targetCycles} cycles per frame: its most parallel folding takes ${fastest}`, 'lower --target-fps or raise --clock-mhz');
    }
    return best;
  });
  return { layers, inputPe: null };
}

export function defaultFolding(ir: IrModel): Folding {
  return { layers: linearStages(ir).map(() => ({ pe: 1, simd: 1 })), inputPe: null };
}

export function targetCycles(fps: number, clockMhz: number): number {
  return Math.floor((clockMhz * 1e6) / fps);
}
