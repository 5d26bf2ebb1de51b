#!/usr/bin/env node
/**
 * Calibration sweep of the resource estimators (the block kinds' features, src/blocks/kinds/) against Yosys.
 *
 *   npm run build
 *   node scripts/calibrate.mjs [--arch xilinx,ice40] [--jobs 2] [--only a,b] [--examples] [--refit] [--write]
 *
 * 1. Generates the sweep designs (seeded random MLPs with chosen foldings, plus the TFC / SFC / CNV
 *    examples with --examples) into build/calibration/<name>, synthesises each with `bnn-hw synth`'s
 *    flow (synth_xilinx -flatten with layer wrappers kept; synth_ice40) and records, per block, the
 *    estimator's features and the measured cells. Measurements are cached in
 *    docs/calibration-data.json (keyed by design, with the RTL library hash and each module's hash;
 *    --resynth redoes them, --refit uses the cache only). A bit-plane mvu_int measured on other
 *    versions of its modules (BITPLANE_MODULES) is left out of the fit.
 * 2. Fits the constants of every block kind by non-negative least squares on relative error
 *    (fifo first, then the compute blocks with their nested output FIFO subtracted).
 * 3. Measures the XNOR-popcount datapath of bnn_mvtu alone (bnn_popcount per PE in a
 *    register-bounded harness): LUT6 per product bit and LUT depth, for SIMD 32 .. 1024.
 * 4. Writes docs/calibration.md (tables, errors, command, machine) and
 *    docs/calibration-constants.json; with --write also src/estimate/constants.ts.
 * Long (tens of minutes on 2 cores); not part of `npm test`.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
import { loadModelValue, loadModelFile } from '../dist/frontend/load.js';
import { buildDesign } from '../dist/flows/build.js';
import { writeTreeAtomic } from '../dist/util/fs.js';
import { runSynth, yosysVersion, lutDepth } from '../dist/flows/synth.js';
import { blockFeatures, resourcesOf } from '../dist/estimate/resources.js';
import { CONSTANTS } from '../dist/estimate/constants.js';
import { REGISTRY } from '../dist/blocks/registry.js';
import { mlpJson, cnnJson } from '../dist/examples/seeded-models.js';
import { popcountPlan, lutDepthBound } from '../dist/estimate/popcount.js';
import { runTool } from '../dist/flows/tools.js';

/** @typedef {import('../dist/blocks/memory.js').Fabric} Fabric */
/** @typedef {import('../dist/blocks/types.js').HwBlock} HwBlock */
/** @typedef {import('../dist/estimate/resources.js').Features} Features */
/** @typedef {import('../dist/estimate/constants.js').KindConstants} KindConstants */
/** @typedef {import('../dist/flows/synth.js').CellCounts} CellCounts */
/** @typedef {import('../dist/flows/build.js').Built} Built */
/** @typedef {import('../dist/ir/model.js').Model} Model */
/** @typedef {{ name: string; kind: string; model: () => Model; foldLayers?: number[][]; arches?: string[]; fold?: string}} Design */
/** @typedef {{ name: string; measured: CellCounts; lutDepth?: number; blocks: { inst: string; kind: string; measured: CellCounts }[] }} LayerReport */
/** @typedef {Record<string, { layers: LayerReport[]; seconds: number; total: CellCounts }>} Reports */
/** @typedef {{ design: string; designKind: string; layer: string; block: string; kind: string; params: Record<string, unknown>; features: Record<string, Features>; measured: Record<string, CellCounts> }} BlockRecord */
/** @typedef {{ lut: number; ff: number; mem: number }} LutFfMem */
/** @typedef {{ arch: Fabric; kind: string; n: number; lutMedian: number; lutMax: number; ffMedian: number; ffMax: number; memMismatch: number }} ErrRow */
/** @typedef {{ arch: Fabric; kind: string; design: string; block: string; params: Record<string, unknown>; lut: number[]; ff: number[]; mem: number[] }} BlockRow */
/** @typedef {{ arch: Fabric; design: string; kind: string; rtl: string; layer: string; est: LutFfMem; meas: LutFfMem; lutDepth?: number }} LayerRow */
/** @typedef {{ simd: number; pe: number; popStages: number; lut: number; lutPerBit: number; depth: number; bound: number; modelLuts: number }} PopRow */
/** @typedef {{ nproc: number; cpu: string; node: string; yosys: string; rtl: string; lscpu: string }} Machine */

const args = process.argv.slice(2);
/** @param {string} k @param {string} d @returns {string} */
const opt = (k, d) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : d;
};
/** @param {string} k */
const flag = (k) => args.includes(k);
const ARCHES = /** @type {Fabric[]} */ (opt('--arch', 'xilinx,ice40').split(','));
const JOBS = Number(opt('--jobs', '2'));
const ONLY = opt('--only', '') ? opt('--only', '').split(',') : null;
const BUILD = path.join(ROOT, 'build', 'calibration');
const DATA = path.join(ROOT, 'docs', 'calibration-data.json');
/** @param {...unknown} a */
const log = (...a) => console.error('[calibrate]', ...a);

// ------------------------------------------------------------------------------------ the sweep
// name, input mode (bin: uint8 + batchnorm/sign -> thresh_in; int: uint8 into the first layer ->
// mvu_int; bip: bipolar input), layer sizes, classes, folding (PE, SIMD) per layer.
const MLP_SWEEP = [
  { name: 'cal01', mode: 'bin', inputs: 64, widths: [64, 32], classes: 10, fold: [[4, 16], [8, 8], [2, 4]] },
  { name: 'cal02', mode: 'bin', inputs: 128, widths: [32, 32], classes: 10, fold: [[2, 32], [4, 4], [5, 2]] },
  { name: 'cal03', mode: 'bip', inputs: 96, widths: [48, 48], classes: 12, fold: [[6, 12], [12, 48], [4, 3]] },
  { name: 'cal04', mode: 'bip', inputs: 256, widths: [64], classes: 16, fold: [[8, 64], [16, 16]] },
  { name: 'cal05', mode: 'int', inputs: 32, widths: [32, 16], classes: 8, fold: [[4, 4], [4, 8], [8, 16]] },
  { name: 'cal06', mode: 'bin', inputs: 196, widths: [128, 64], classes: 10, fold: [[16, 49], [8, 32], [1, 64]] },
  { name: 'cal07', mode: 'bip', inputs: 512, widths: [32], classes: 10, fold: [[1, 512], [2, 32]] },
  { name: 'cal08', mode: 'bip', inputs: 64, widths: [256, 16], classes: 4, fold: [[32, 8], [2, 128], [4, 16]] },
  { name: 'cal09', mode: 'int', inputs: 48, widths: [64], classes: 10, fold: [[2, 6], [10, 64]] },
  { name: 'cal10', mode: 'bin', inputs: 100, widths: [40, 40], classes: 10, fold: [[40, 100], [20, 40], [10, 40]] },
  { name: 'cal11', mode: 'bip', inputs: 1024, widths: [64], classes: 10, fold: [[4, 256], [1, 1]] },
  { name: 'cal12', mode: 'bip', inputs: 72, widths: [24, 24, 24], classes: 6, fold: [[3, 9], [24, 24], [1, 24], [6, 2]] },
  { name: 'cal13', mode: 'bin', inputs: 256, widths: [128], classes: 10, fold: [[1, 32], [2, 16]] },
  { name: 'cal14', mode: 'bip', inputs: 128, widths: [512], classes: 10, fold: [[64, 32], [10, 128]] },
  { name: 'cal15', mode: 'int', inputs: 16, widths: [128, 32], classes: 10, fold: [[16, 16], [4, 128], [2, 2]] },
  { name: 'cal16', mode: 'bip', inputs: 384, widths: [96], classes: 10, fold: [[12, 96], [5, 96]] },
  { name: 'cal17', mode: 'bip', inputs: 512, widths: [256], classes: 10, fold: [[8, 32], [10, 4]] },
  { name: 'cal18', mode: 'bin', inputs: 784, widths: [64], classes: 10, fold: [[4, 49], [5, 8]] },
  // deep weight ROMs split over several block RAMs (CNV's conv4 / conv5 / fc1 shapes)
  { name: 'cal19', mode: 'bip', inputs: 1024, widths: [256], classes: 10, fold: [[4, 32], [1, 8]] },
  { name: 'cal20', mode: 'bip', inputs: 2304, widths: [256], classes: 10, fold: [[1, 32], [2, 16]] },
  { name: 'cal21', mode: 'bin', inputs: 512, widths: [512], classes: 10, fold: [[2, 16], [1, 8]] },
  { name: 'cal22', mode: 'bip', inputs: 4608, widths: [64], classes: 10, fold: [[4, 32], [10, 2]] },
];

// small CNNs for the sliding-window and pooling blocks: input [H, W, C], convs, dense, folding
/** @type {(Omit<import('../dist/examples/seeded-models.js').CnnSpec, 'seed'> & { fold: number[][] })[]} */
const CNN_SWEEP = [
  { name: 'cnn01', input: [12, 12, 3], convs: [{ filters: 16, kernel: 3, pool: { size: 2, where: 'after' } }, { filters: 16, kernel: 3 }], dense: [], classes: 10, fold: [[4, 3], [4, 16], [2, 8]] },
  { name: 'cnn02', input: [16, 16, 1], binarizeInput: true, convs: [{ filters: 32, kernel: 3, padding: 'same', pool: { size: 2, where: 'before' } }, { filters: 32, kernel: 3, stride: 2 }], dense: [32], classes: 10, fold: [[8, 1], [8, 32], [4, 32], [2, 4]] },
  { name: 'cnn03', input: [10, 10, 8], inputType: 'bipolar', convs: [{ filters: 64, kernel: 3, padding: 'same', padValue: 1, pool: { size: 3, stride: 2, where: 'after' } }, { filters: 16, kernel: 2 }], dense: [], classes: 10, fold: [[16, 8], [2, 64], [10, 4]] },
  { name: 'cnn04', input: [20, 20, 4], inputType: 'uint8', convs: [{ filters: 8, kernel: 5, stride: 1 }, { filters: 32, kernel: 3, padding: 'same', padValue: 0, pool: { size: 2, where: 'after' } }], dense: [16], classes: 10, fold: [[2, 4], [8, 8], [4, 16], [1, 16]] },
  // CNV's tail: a conv to 1x1 whose output frame queues in front of the first dense layer (deep FIFOs)
  { name: 'cnn05', input: [5, 5, 32], inputType: 'bipolar', convs: [{ filters: 128, kernel: 3 }, { filters: 128, kernel: 3 }], dense: [64], classes: 10, fold: [[8, 32], [1, 32], [1, 4], [1, 8]] },
  { name: 'cnn06', input: [5, 5, 64], inputType: 'bipolar', convs: [{ filters: 64, kernel: 3 }, { filters: 256, kernel: 3 }], dense: [128], classes: 10, fold: [[8, 32], [2, 32], [2, 8], [5, 4]] },
  { name: 'cnn07', input: [3, 3, 64], inputType: 'bipolar', convs: [{ filters: 256, kernel: 3 }], dense: [64], classes: 10, fold: [[1, 32], [1, 4], [1, 8]] },
  { name: 'cnn08', input: [3, 3, 16], inputType: 'bipolar', convs: [{ filters: 512, kernel: 3 }], dense: [16], classes: 10, fold: [[4, 16], [1, 2], [2, 2]] },
];

// k-bit activations (issue 12): W1A2..W1A5 MLPs and small CNNs. `acts` replaces the model's sign layers
// in order (the input binariser first when there is one; null keeps a sign): multi-threshold mvtu
// (binary in, k-bit out), thresh_in with levels (a quantised input), mvu_int on k-bit codes (the choice
// rule of src/blocks/mvu-int-datapath.ts decides its datapath: bit-plane up to 4-bit codes, add/subtract
// above), and the k-bit lanes of fifo / dwc / swg / pool.
const A2 = { bits: 2, signed: true, narrow: true, scale: 1 };
const U3 = { bits: 3, signed: false, scale: 0.5 };
const S4 = { bits: 4, signed: true, scale: 0.5 };
const KBIT_MLP = [
  { name: 'kcal01', mode: 'bip', inputs: 128, widths: [64, 64], classes: 10, acts: [A2, A2], fold: [[8, 32], [8, 16], [5, 32]] },
  { name: 'kcal02', mode: 'bin', inputs: 64, widths: [32, 32], classes: 10, acts: [null, U3, U3], fold: [[4, 16], [8, 8], [2, 4]] },
  { name: 'kcal03', mode: 'bip', inputs: 96, widths: [48], classes: 12, acts: [S4], fold: [[6, 12], [4, 8]] },
  { name: 'kcal04', mode: 'bin', inputs: 48, widths: [32], classes: 10, acts: [{ bits: 3, signed: false, scale: 0.25 }, { bits: 4, signed: false, scale: 0.5 }], fold: [[4, 8], [2, 8]] },
  { name: 'kcal05', mode: 'int', inputs: 32, widths: [32], classes: 8, acts: [{ bits: 5, signed: true, scale: 0.25 }], fold: [[4, 4], [4, 8]] },
  { name: 'kcal06', mode: 'bin', inputs: 64, widths: [64], classes: 10, acts: [A2, { bits: 4, signed: false, scale: 0.5 }], fold: [[8, 16], [5, 16]] },
  { name: 'kcal07', mode: 'bin', inputs: 32, widths: [24], classes: 6, acts: [{ bits: 4, signed: false, scale: 0.25 }, { bits: 3, signed: true, scale: 0.5 }], fold: [[6, 4], [3, 8]] },
  { name: 'kcal08', mode: 'bip', inputs: 256, widths: [64], classes: 10, acts: [U3], fold: [[16, 64], [10, 32]] },
  // deep k-bit layers (CNV-W1A2's fc0 / conv4 / conv5 shapes): many neurons per PE, so the bit-plane
  // offset table (XC, ACC_W bits x NF words per PE) is a large logic ROM and the weights span several
  // block RAMs
  { name: 'kcal09', mode: 'bip', inputs: 64, widths: [128, 512], classes: 10, acts: [A2, A2], fold: [[8, 16], [1, 8], [2, 32]] },
  { name: 'kcal10', mode: 'bip', inputs: 128, widths: [64, 256], classes: 10, acts: [A2, U3], fold: [[8, 32], [4, 8], [5, 16]] },
  { name: 'kcal11', mode: 'bin', inputs: 64, widths: [256, 256], classes: 10, acts: [null, A2, A2], fold: [[8, 16], [1, 16], [10, 8]] },
];
/** @type {(Omit<import('../dist/examples/seeded-models.js').CnnSpec, 'seed'> & { fold: number[][]; acts: (object | null)[] })[]} */
const KBIT_CNN = [
  { name: 'kcnn01', input: [12, 12, 3], inputType: 'uint8', convs: [{ filters: 16, kernel: 3, pool: { size: 2, where: 'after' } }, { filters: 16, kernel: 3 }], dense: [], classes: 10, acts: [U3, U3], fold: [[4, 3], [4, 8], [2, 8]] },
  { name: 'kcnn02', input: [10, 10, 8], inputType: 'bipolar', convs: [{ filters: 32, kernel: 3, pool: { size: 2, where: 'after' } }, { filters: 16, kernel: 2 }], dense: [], classes: 10, acts: [S4, S4], fold: [[8, 8], [4, 8], [10, 4]] },
  { name: 'kcnn03', input: [12, 12, 3], inputType: 'uint8', convs: [{ filters: 16, kernel: 3, pool: { size: 2, where: 'after' } }, { filters: 32, kernel: 3, pool: { size: 3, where: 'after' } }], dense: [32], classes: 10, acts: [A2, A2, A2], fold: [[4, 3], [8, 16], [8, 32], [2, 8]] },
  // CNV-W1A2's conv3 .. conv5 tail: 2-bit frames queue in front of slow convolutions (FIFOs deep and wide
  // enough for block RAM), deep offset tables and weight ROMs over several block RAMs
  { name: 'kcnn04', input: [12, 12, 32], inputType: 'bipolar', convs: [{ filters: 64, kernel: 3 }, { filters: 64, kernel: 3 }], dense: [64], classes: 10, acts: [A2, A2, A2], fold: [[8, 32], [4, 16], [1, 16], [2, 8]] },
  { name: 'kcnn05', input: [9, 9, 32], inputType: 'bipolar', convs: [{ filters: 32, kernel: 3 }, { filters: 128, kernel: 3, stride: 2 }], dense: [128], classes: 10, acts: [A2, A2, A2], fold: [[8, 32], [1, 16], [1, 8], [2, 8]] },
];

const FINN_FOLD = path.join(ROOT, '..', 'shared', 'foldings');
const EXAMPLES = [
  { name: 'tfc', file: 'examples/tfc.json', fold: path.join(FINN_FOLD, 'finn-tfc-w1a1_folding_config.json') },
  { name: 'sfc', file: 'examples/sfc.json', foldLayers: [[16, 49], [16, 16], [16, 16], [10, 16]] },
  { name: 'lfc', file: 'examples/lfc.json', foldLayers: [[32, 49], [64, 32], [32, 64], [10, 8]] },
  { name: 'cnv', file: 'examples/cnv.json', fold: path.join(FINN_FOLD, 'finn-cnv-w1a1_folding_config.json') },
  // W1A2: every hidden layer reads 2-bit codes (bit-plane datapath)
  { name: 'tfc_w1a2', file: 'examples/tfc_w1a2.json', fold: path.join(ROOT, 'examples', 'folds', 'tfc-finn.json') },
  { name: 'lfc_w1a2', file: 'examples/lfc_w1a2.json', fold: path.join(ROOT, 'examples', 'folds', 'lfc-finn.json') },
  { name: 'cnv_w1a2', file: 'examples/cnv_w1a2.json', fold: path.join(ROOT, 'examples', 'folds', 'cnv-w1a2-finn.json') },
];

/**
 * The activation layers (sign or quant, in model order) replaced by `acts` (null: a sign).
 * @param {Record<string, unknown>} json @param {(object | null)[] | undefined} acts
 */
function withActs(json, acts) {
  if (!acts) return json;
  let i = 0;
  const layers = /** @type {Record<string, unknown>[]} */ (json['layers']).map((l) => {
    if (l['type'] !== 'sign' && l['type'] !== 'quant') return l;
    const a = acts[i++];
    return a ? { type: 'quant', name: l['name'], ...a } : { type: 'sign', name: l['name'] };
  });
  if (i !== acts.length) throw new Error(`${json['name']}: ${acts.length} activations for ${i} activation layers`);
  return { ...json, layers };
}

/** @param {(typeof MLP_SWEEP)[number] & { acts?: (object | null)[] }} s @param {number} base */
function mlpModel(s, base = 7000) {
  const seed = base + Number(s.name.replace(/\D/g, ''));
  const spec = { name: s.name, seed, inputs: s.inputs, widths: s.widths, classes: s.classes, packed: true, output: /** @type {const} */ ('argmax') };
  if (s.mode === 'bin') Object.assign(spec, { inputType: 'uint8', binarizeInput: true });
  else if (s.mode === 'int') Object.assign(spec, { inputType: 'uint8' });
  else Object.assign(spec, { inputType: 'bipolar' });
  // hidden batchnorm statistics sized for the codes of the first hidden activation
  const hidden = s.acts?.slice(s.mode === 'bin' ? 1 : 0).find((a) => a);
  if (hidden) Object.assign(spec, { act: hidden });
  return loadModelValue(withActs(mlpJson(spec), s.acts));
}

/** @param {(typeof CNN_SWEEP)[number] & { acts?: (object | null)[] }} s @param {number} base */
function cnnModel(s, base = 7100) {
  const seed = base + Number(s.name.replace(/\D/g, ''));
  return loadModelValue(withActs(cnnJson({ ...s, seed, packed: true, output: 'argmax' }), s.acts));
}

function rtlHash() {
  const h = createHash('sha256');
  // every library module (sorted), so a new module cannot be left out of the hash
  const lib = path.join(ROOT, 'templates', 'lib');
  for (const f of readdirSync(lib).filter((n) => n.endsWith('.v')).sort()) h.update(readFileSync(path.join(lib, f)));
  return h.digest('hex').slice(0, 16);
}

/** Hash of each library module (file name -> 16 hex digits), kept with a design's measurements. */
function moduleHashes() {
  const lib = path.join(ROOT, 'templates', 'lib');
  /** @type {Record<string, string>} */
  const o = {};
  for (const f of readdirSync(lib).filter((n) => n.endsWith('.v')).sort()) o[f] = createHash('sha256').update(readFileSync(path.join(lib, f))).digest('hex').slice(0, 16);
  return o;
}

// the modules a bit-plane mvu_int layer instantiates: its measurements stay evidence while these are
// unchanged, whatever else the library gains (a new block's module changes the library hash)
const BITPLANE_MODULES = ['bnn_mvu_int.v', 'bnn_intdot.v', 'bnn_bitplane.v', 'bnn_addtree.v', 'bnn_levels.v', 'bnn_mvu_ctl.v', 'bnn_obuf.v', 'bnn_fifo.v', 'bnn_rom.v', 'bnn_dwc.v'];

function designs() {
  /** @type {Design[]} */
  const list = MLP_SWEEP.map((s) => ({ name: s.name, kind: 'sweep', model: () => mlpModel(s), foldLayers: s.fold }));
  for (const s of CNN_SWEEP) list.push({ name: s.name, kind: 'sweep', model: () => cnnModel(s), foldLayers: s.fold });
  for (const s of KBIT_MLP) list.push({ name: s.name, kind: 'sweep', model: () => mlpModel(s, 7200), foldLayers: s.fold });
  for (const s of KBIT_CNN) list.push({ name: s.name, kind: 'sweep', model: () => cnnModel(s, 7300), foldLayers: s.fold });
  // examples: Xilinx only (the FINN comparison); they are held out of the fit
  if (flag('--examples')) for (const e of EXAMPLES) list.push({ name: e.name, kind: 'example', arches: ['xilinx'], model: () => loadModelFile(path.join(ROOT, e.file)), fold: e.fold, foldLayers: e.foldLayers });
  return ONLY ? list.filter((d) => ONLY.includes(d.name)) : list;
}

/**
 * The design's folding file: FINN's for the examples that have one, else written from foldLayers.
 * @param {Design} d
 */
function foldFile(d) {
  if (d.fold) return d.fold;
  const fold = path.join(BUILD, `${d.name}.fold.json`);
  mkdirSync(BUILD, { recursive: true });
  writeFileSync(fold, JSON.stringify({ layers: /** @type {number[][]} */ (d.foldLayers).map(([pe, simd]) => ({ pe, simd })) }));
  return fold;
}

/** @param {Design} d */
function build(d) {
  const built = buildDesign(d.model(), { fold: foldFile(d) });
  const dir = path.join(BUILD, d.name);
  writeTreeAtomic(dir, built.files);
  return { built, dir };
}

/**
 * Features (per fabric) and measured cells of every block of a design.
 * @param {Design} d @param {Built} built @param {Reports} reports @returns {BlockRecord[]}
 */
function records(d, built, reports) {
  const out = [];
  for (const [gi, g] of built.plan.layers.entries()) {
    for (const b of g.blocks) {
      /** @type {BlockRecord} */
      const rec = { design: d.name, designKind: d.kind, layer: g.name, block: b.name, kind: b.kind, params: blockParams(b), features: {}, measured: {} };
      for (const arch of ARCHES) {
        const f = blockFeatures(b, { fabric: arch });
        rec.features[arch] = f;
        // by position (the report lists the wrappers in design order): the argmax stage and a layer
        // called argmax share a name
        const layer = reports[arch]?.layers.find((l, i) => i === gi && l.name === g.name);
        if (!layer) continue;
        const m = REGISTRY[b.kind].keepHierarchy ? layer.blocks.find((x) => x.kind === b.kind && x.inst) : layer.blocks.find((x) => x.inst === '');
        if (m) rec.measured[arch] = m.measured;
      }
      out.push(rec);
    }
  }
  return out;
}

/** @param {HwBlock & { stage?: { mw?: number; mh?: number }; params?: object }} b */
function blockParams(b) {
  /** @type {Record<string, unknown>} */
  const o = {};
  for (const [k, v] of Object.entries(b)) if (typeof v === 'number' || typeof v === 'boolean') o[k] = v;
  if (b.stage?.mw !== undefined) Object.assign(o, { mw: b.stage.mw, mh: b.stage.mh });
  if (b.params) Object.assign(o, b.params, { AND_MASK: undefined });
  if (b.kind === 'mvu_int') o['bitplane'] = /** @type {{ datapath?: string }} */ (b).datapath === 'bitplane';
  return o;
}

/**
 * @template T, R
 * @param {T[]} items @param {number} n @param {(item: T, i: number) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
async function pool(items, n, fn) {
  const res = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      res[i] = await fn(items[i], i);
    }
  }));
  return res;
}

// ------------------------------------------------------------------------------------------ NNLS
/**
 * Lawson-Hanson non-negative least squares: min |A x - b|, x >= 0.
 * @param {number[][]} A @param {number[]} b @returns {number[]}
 */
function nnls(A, b) {
  const m = A.length;
  const n = A[0].length;
  const x = new Array(n).fill(0);
  /** @type {Set<number>} */
  const P = new Set();
  const grad = () => {
    const r = b.map((bi, i) => bi - A[i].reduce((s, a, j) => s + a * x[j], 0));
    return Array.from({ length: n }, (_, j) => A.reduce((s, row, i) => s + row[j] * r[i], 0));
  };
  const solveP = () => {
    const idx = [...P];
    const k = idx.length;
    const M = Array.from({ length: k }, () => new Array(k).fill(0));
    const v = new Array(k).fill(0);
    for (let i = 0; i < m; i++) for (let a = 0; a < k; a++) {
      v[a] += A[i][idx[a]] * b[i];
      for (let c = 0; c < k; c++) M[a][c] += A[i][idx[a]] * A[i][idx[c]];
    }
    for (let a = 0; a < k; a++) M[a][a] += 1e-9;
    // Gaussian elimination
    for (let c = 0; c < k; c++) {
      let p = c;
      for (let r = c + 1; r < k; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
      [M[c], M[p]] = [M[p], M[c]];
      [v[c], v[p]] = [v[p], v[c]];
      for (let r = 0; r < k; r++) {
        if (r === c || M[c][c] === 0) continue;
        const f = M[r][c] / M[c][c];
        for (let cc = c; cc < k; cc++) M[r][cc] -= f * M[c][cc];
        v[r] -= f * v[c];
      }
    }
    const z = new Array(n).fill(0);
    idx.forEach((j, a) => (z[j] = M[a][a] === 0 ? 0 : v[a] / M[a][a]));
    return z;
  };
  for (let it = 0; it < 3 * n + 10; it++) {
    const w = grad();
    let jmax = -1;
    for (let j = 0; j < n; j++) if (!P.has(j) && w[j] > 1e-9 && (jmax < 0 || w[j] > w[jmax])) jmax = j;
    if (jmax < 0) break;
    P.add(jmax);
    for (let inner = 0; inner < 3 * n + 10; inner++) {
      const z = solveP();
      if ([...P].every((j) => z[j] > 0)) {
        for (let j = 0; j < n; j++) x[j] = z[j];
        break;
      }
      let alpha = Infinity;
      for (const j of P) if (z[j] <= 0) alpha = Math.min(alpha, x[j] / (x[j] - z[j]));
      for (let j = 0; j < n; j++) x[j] = x[j] + alpha * (z[j] - x[j]);
      for (const j of [...P]) if (x[j] <= 1e-12) P.delete(j);
    }
  }
  return x;
}

/**
 * Fit LUT and FF constants of one kind: relative-error weighted NNLS over its records.
 * @param {BlockRecord[]} recs @param {Fabric} arch @param {string} kind @param {Record<string, KindConstants>} consts
 */
function fitKind(recs, arch, kind, consts) {
  /** @param {BlockRecord} r @param {'lut' | 'ff'} res */
  const target = (r, res) => {
    const f = r.features[arch];
    // nested blocks (output FIFO) are estimated with their own (already fitted) constants
    let nested = { lut: 0, ff: 0 };
    for (const nf of f.nested) {
      const nr = resourcesOf(nf, arch, consts);
      nested = { lut: nested.lut + nr.lut, ff: nested.ff + nr.ff };
    }
    const m = r.measured[arch];
    return res === 'lut' ? m.lut - f.fixed.lut - nested.lut : m.ff - nested.ff;
  };
  /** @type {{ lut: Record<string, number>; ff: Record<string, number> }} */
  const out = { lut: {}, ff: {} };
  for (const res of /** @type {const} */ (['lut', 'ff'])) {
    const keys = [...new Set(recs.flatMap((r) => Object.keys(r.features[arch][res])))].sort();
    /** @type {number[][]} */
    const rows = [];
    /** @type {number[]} */
    const rhs = [];
    for (const r of recs) {
      const m = r.measured[arch][res];
      const w = 1 / Math.max(8, m);
      rows.push(keys.map((k) => (/** @type {Record<string, number>} */ (r.features[arch][res])[k] ?? 0) * w));
      rhs.push(target(r, res) * w);
    }
    const x = rows.length ? nnls(rows, rhs) : keys.map(() => 0);
    keys.forEach((k, i) => (out[res][k] = Math.round(x[i] * 10000) / 10000));
  }
  return out;
}

/** @param {number} est @param {number} meas */
const relErr = (est, meas) => (meas > 0 ? (est - meas) / meas : est === 0 ? 0 : 1);
/** @param {number[]} a */
const median = (a) => {
  if (!a.length) return NaN;
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** @param {number} v */
const pct = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '-');

// ----------------------------------------------------------------------------- popcount harness
/**
 * @param {{ simd: number; pe: number }} c @param {number} pop
 * @param {typeof import('../dist/blocks/popcount-plan.js').mvtuStructureParams} mvtuStructureParams
 */
function popcountHarness(c, pop, mvtuStructureParams) {
  // the weights are streamed (FA level): NF = SF = 2
  const params = [['SIMD', c.simd], ['STAGES', pop], ...mvtuStructureParams(c.simd, 2, 2, pop).map((x) => [x.name.replace(/^POP_/, ''), x.value])];
  const cntw = Math.ceil(Math.log2(c.simd + 1));
  return `\`default_nettype none
// XNOR-popcount datapath of bnn_mvtu alone (bnn_popcount per PE with the compiler's plan, as
// bnn_mvtu instantiates it), between input and output registers (written by scripts/calibrate.mjs).
module pc_harness (
    input wire clk, input wire [${c.simd - 1}:0] x_in, input wire [${c.pe * c.simd - 1}:0] w_in, output reg [${c.pe * cntw - 1}:0] cnt_out);
    reg [${c.simd - 1}:0] x_r;
    reg [${c.pe * c.simd - 1}:0] w_data;
    wire [${c.pe * cntw - 1}:0] pc_cnt;
    genvar k;
    generate
        for (k = 0; k < ${c.pe}; k = k + 1) begin : pe
            bnn_popcount #(${params.map(([k, v]) => `.${k}(${v})`).join(', ')}) u_pop (
                .clk(clk), .x(x_r), .w(w_data[k*${c.simd} +: ${c.simd}]), .cnt(pc_cnt[k*${cntw} +: ${cntw}]));
        end
    endgenerate
    always @(posedge clk) begin x_r <= x_in; w_data <= w_in; cnt_out <= pc_cnt; end
endmodule
\`default_nettype wire
`;
}

const POP_CASES = [
  { simd: 32, pe: 1 }, { simd: 32, pe: 16 }, { simd: 49, pe: 16 }, { simd: 64, pe: 1 }, { simd: 64, pe: 16 },
  { simd: 128, pe: 1 }, { simd: 256, pe: 1 }, { simd: 512, pe: 1 }, { simd: 1024, pe: 1 },
];

/**
 * Cached in the data file with a hash of bnn_popcount.v and every harness (the plans included): redone
 * only when one of them changes or with --resynth.
 * @param {{ popcount?: { hash: string; rows: PopRow[] } }} cache @returns {Promise<PopRow[]>}
 */
async function popcountSweep(cache) {
  const dir = path.join(BUILD, 'popcount');
  mkdirSync(dir, { recursive: true });
  const { popStagesFor } = await import('../dist/passes/plan.js');
  const { mvtuStructureParams } = await import('../dist/blocks/popcount-plan.js');
  const lib = path.join(ROOT, 'templates', 'lib', 'bnn_popcount.v');
  const h = createHash('sha256').update(readFileSync(lib));
  for (const c of POP_CASES) h.update(popcountHarness(c, popStagesFor(c.simd), mvtuStructureParams));
  const hash = h.digest('hex').slice(0, 16);
  if (cache.popcount?.hash === hash && !flag('--resynth')) return cache.popcount.rows;
  const rows = await pool(POP_CASES, JOBS, async (c) => {
    const pop = popStagesFor(c.simd);
    const tag = `pc_${c.simd}_${c.pe}`;
    writeFileSync(path.join(dir, `${tag}.v`), popcountHarness(c, pop, mvtuStructureParams));
    const r = await runTool('yosys', ['-q', '-p', `read_verilog ${lib} ${tag}.v; synth_xilinx -noiopad -flatten -top pc_harness; tee -q -o ${tag}.stat stat -json; write_json ${tag}.json`], { cwd: dir, timeoutMs: 3600_000 });
    if (r.code !== 0) throw new Error(`popcount harness ${tag}: ${r.stderr}`);
    const { parseStatJson, countCells } = await import('../dist/flows/synth.js');
    const st = parseStatJson(readFileSync(path.join(dir, `${tag}.stat`), 'utf8'));
    const counts = countCells('xilinx', /** @type {Record<string, number>} */ (Object.values(st.modules)[0]?.num_cells_by_type));
    const net = JSON.parse(readFileSync(path.join(dir, `${tag}.json`), 'utf8'));
    const depth = lutDepth(net, /** @type {string} */ (Object.keys(net.modules).find((k) => k.includes('pc_harness'))), 'xilinx');
    const p = popcountPlan(c.simd, false);
    log(`popcount SIMD ${c.simd} PE ${c.pe}: ${counts.lut} LUT (${(counts.lut / (c.simd * c.pe)).toFixed(3)} per bit), depth ${depth}`);
    return { ...c, popStages: pop, lut: counts.lut, lutPerBit: counts.lut / (c.simd * c.pe), depth, bound: lutDepthBound(p, pop), modelLuts: c.pe * (p.faLuts + p.counterLuts + p.cpaBits) };
  });
  cache.popcount = { hash, rows };
  writeFileSync(DATA, JSON.stringify(cache, null, 1) + '\n');
  return rows;
}

// ----------------------------------------------------------------------------------------- main
async function main() {
  const cache = existsSync(DATA) ? JSON.parse(readFileSync(DATA, 'utf8')) : { designs: {} };
  const hash = rtlHash();
  const ys = await yosysVersion();
  const list = designs();
  const mods = moduleHashes();
  const t0 = Date.now();
  if (!flag('--refit')) {
    await pool(list, JOBS, async (d) => {
      const key = `${d.name}`;
      const have = cache.designs[key];
      // cached measurements are reused unless --resynth (a stale RTL hash is only reported)
      const fresh = have && (have.rtl === hash || !flag('--resynth'));
      if (have && have.rtl !== hash && !flag('--resynth')) log(`${d.name}: cached measurements are for RTL ${have.rtl} (now ${hash}); pass --resynth to redo them`);
      const missing = ARCHES.filter((a) => (!d.arches || d.arches.includes(a)) && (!fresh || !have.reports?.[a]));
      if (missing.length === 0) return;
      log(`build ${d.name}`);
      const { built, dir } = build(d);
      const reports = fresh ? { ...have.reports } : {};
      for (const arch of missing) {
        const t = Date.now();
        log(`synth ${d.name} ${arch}`);
        const r = await runSynth(dir, { arch, estimate: null, lutDepth: arch === 'xilinx' && d.kind === 'example' && !d.name.startsWith('cnv') });
        reports[arch] = { layers: r.layers.map((l) => ({ name: l.name, measured: l.measured, lutDepth: l.lutDepth, blocks: l.blocks.map((b) => ({ inst: b.inst, kind: b.kind, measured: b.measured })) })), seconds: r.seconds, total: r.total };
        log(`done ${d.name} ${arch}: ${r.total.lut} LUT in ${((Date.now() - t) / 1000).toFixed(0)} s`);
      }
      cache.designs[key] = { rtl: hash, modules: moduleHashes(), kind: d.kind, reports, folding: built.plan.folding.layers, cyclesPerFrame: built.plan.cyclesPerFrame };
      writeFileSync(DATA, JSON.stringify(cache, null, 1) + '\n');
    });
  }
  // features are recomputed from the current estimator code (cheap); measurements from the cache
  /** @type {BlockRecord[]} */
  const recs = [];
  /** @type {string[]} */
  const staleBitplane = [];
  /** @type {{ d: Design; built: Built; c: { reports: Reports; rtl: string } }[]} */
  const designResults = [];
  for (const d of list) {
    const c = cache.designs[d.name];
    if (!c) continue;
    const built = buildDesign(d.model(), { fold: foldFile(d) });
    // a bit-plane mvu_int measured on other versions of its modules (BITPLANE_MODULES, hashed per
    // module in the cache) is not evidence for the current bit-plane datapath
    const all = records(d, built, c.reports);
    const sameBitplane = c.rtl === hash || (c.modules && BITPLANE_MODULES.every((m) => c.modules[m] === mods[m]));
    const stale = sameBitplane ? [] : all.filter((r) => r.kind === 'mvu_int' && r.params['bitplane'] === true);
    for (const r of stale) staleBitplane.push(`${r.design} ${r.layer}`);
    recs.push(...all.filter((r) => !stale.includes(r)));
    designResults.push({ d, built, c });
  }
  // fit: fifo first (its fitted constants price the nested output FIFOs of the others)
  const consts = JSON.parse(JSON.stringify(CONSTANTS));
  const kinds = ['fifo', ...Object.keys(REGISTRY).filter((k) => k !== 'fifo')];
  for (const arch of ARCHES) {
    for (const kind of kinds) {
      const rs = recs.filter((r) => r.kind === kind && r.measured[arch] && r.designKind === 'sweep');
      const all = recs.filter((r) => r.kind === kind && r.measured[arch]);
      const use = rs.length >= 4 ? rs : all;
      if (use.length === 0) continue;
      consts[arch][kind] = fitKind(use, arch, kind, consts[arch]);
    }
  }
  // errors with the fitted constants
  /** @type {ErrRow[]} */
  const errRows = [];
  /** @type {BlockRow[]} */
  const blockRows = [];
  for (const arch of ARCHES) {
    for (const kind of kinds) {
      const rs = recs.filter((r) => r.kind === kind && r.measured[arch]);
      if (!rs.length) continue;
      /** @type {number[]} */
      const le = [];
      /** @type {number[]} */
      const fe = [];
      let bramBad = 0;
      for (const r of rs) {
        const e = resourcesOf(r.features[arch], arch, consts[arch]);
        const m = r.measured[arch];
        le.push(Math.abs(relErr(e.lut, m.lut)));
        fe.push(Math.abs(relErr(e.ff, m.ff)));
        const memOk = arch === 'xilinx' ? e.bram18 === m.bram18 : e.ebr === m.ebr;
        if (!memOk) bramBad++;
        blockRows.push({ arch, kind, design: r.design, block: r.block, params: r.params, lut: [Math.round(e.lut), m.lut], ff: [Math.round(e.ff), m.ff], mem: arch === 'xilinx' ? [e.bram18, m.bram18] : [e.ebr, m.ebr] });
      }
      errRows.push({ arch, kind, n: rs.length, lutMedian: median(le), lutMax: Math.max(...le), ffMedian: median(fe), ffMax: Math.max(...fe), memMismatch: bramBad });
    }
  }
  // design / layer totals with the fitted constants
  /** @type {LayerRow[]} */
  const layerRows = [];
  for (const { d, built, c } of designResults) {
    for (const arch of ARCHES) {
      const rep = c.reports[arch];
      if (!rep) continue;
      for (const g of built.plan.layers) {
        const est = g.blocks.map((b) => resourcesOf(blockFeatures(b, { fabric: arch }), arch, consts[arch])).reduce((a, b) => ({ lut: a.lut + b.lut, ff: a.ff + b.ff, mem: a.mem + (arch === 'xilinx' ? b.bram18 : b.ebr) }), { lut: 0, ff: 0, mem: 0 });
        const m = /** @type {LayerReport} */ (rep.layers.find((l) => l.name === g.name));
        layerRows.push({ arch, design: d.name, kind: d.kind, rtl: c.rtl, layer: g.name, est, meas: { lut: m.measured.lut, ff: m.measured.ff, mem: arch === 'xilinx' ? m.measured.bram18 : m.measured.ebr }, lutDepth: m.lutDepth });
      }
    }
  }
  const pop = flag('--no-popcount') ? [] : await popcountSweep(cache);
  const machine = { nproc: os.cpus().length, cpu: os.cpus()[0]?.model ?? '?', node: process.version, yosys: ys, rtl: hash, lscpu: safe(() => execFileSync('lscpu', { encoding: 'utf8' }).split('\n').slice(0, 12).join('\n')) };
  writeFileSync(path.join(ROOT, 'docs', 'calibration-constants.json'), JSON.stringify(consts, null, 2) + '\n');
  if (flag('--write')) writeConstantsTs(consts);
  writeFileSync(path.join(ROOT, 'docs', 'calibration.md'), report({ errRows, blockRows, layerRows, pop, machine, consts, seconds: (Date.now() - t0) / 1000, ndesigns: list.length, staleBitplane }));
  log(`wrote docs/calibration.md, docs/calibration-constants.json${flag('--write') ? ', src/estimate/constants.ts' : ''}`);
}

/** @param {() => string} f */
function safe(f) {
  try {
    return f();
  } catch {
    return '';
  }
}

/** @param {unknown} consts */
function writeConstantsTs(consts) {
  const p = path.join(ROOT, 'src', 'estimate', 'constants.ts');
  const text = readFileSync(p, 'utf8');
  const head = text.slice(0, text.indexOf('export const CONSTANTS'));
  const body = `export const CONSTANTS: Constants = ${JSON.stringify(consts, null, 2).replace(/"(\w+)":/g, '$1:').replace(/"/g, "'")};\n`;
  writeFileSync(p, head + body);
}

/**
 * @param {{ errRows: ErrRow[]; blockRows: BlockRow[]; layerRows: LayerRow[]; pop: PopRow[]; machine: Machine; consts: unknown; seconds: number; ndesigns: number; staleBitplane: string[] }} o
 */
function report({ errRows, blockRows, layerRows, pop, machine, consts, seconds, ndesigns, staleBitplane }) {
  const L = [];
  L.push('# Estimator calibration (generated by scripts/calibrate.mjs)');
  L.push('');
  L.push('Reproduce (about an hour on the machine below; measurements are cached in `docs/calibration-data.json`):');
  L.push('');
  L.push('```sh');
  L.push('npm run build');
  L.push('node scripts/calibrate.mjs --arch xilinx,ice40 --jobs 2 --examples --write');
  L.push('```');
  L.push('');
  L.push(`Machine: ${machine.nproc} CPUs (${machine.cpu}), Node ${machine.node}, ${machine.yosys}; RTL library hash ${machine.rtl}. Run time ${Math.round(seconds)} s (${ndesigns} designs${flag('--refit') ? '; --refit: fitted from the cached measurements, their synthesis times are in calibration-data.json' : ''}).`);
  L.push('');
  L.push('```text');
  L.push(machine.lscpu.trim());
  L.push('```');
  L.push('');
  L.push('Measured = Yosys cell counts: Xilinx `synth_xilinx -noiopad -flatten` (LUT = LUT1..6 + INV + LUTRAM LUTs, FF = FD*, BRAM18 = RAMB18E1 + 2 x RAMB36E1), iCE40 `synth_ice40` (LUT = SB_LUT4, FF = SB_DFF*, EBR = SB_RAM40_4K). Each layer wrapper keeps its hierarchy and its input FIFO / width converter / sliding window stay separate modules, so every block is counted on its own; the compute block includes its ROMs and its output FIFO.');
  L.push('');
  L.push('Constants are fitted per fabric and block kind by non-negative least squares on the relative error over the sweep designs (examples are held out when a kind has at least 4 sweep samples). Errors below are |estimate - measured| / measured with the fitted constants, in-sample for the sweep and out-of-sample for the examples. Block RAM / EBR counts are not fitted (memory_libmap model); "mem mismatches" counts blocks whose BRAM18 (Xilinx) or EBR (iCE40) differ.');
  L.push('');
  if (staleBitplane.length) {
    L.push(`Left out of the fit and of the block tables: ${staleBitplane.length} bit-plane \`mvu_int\` blocks measured on an older RTL library than the current one (${staleBitplane.join(', ')}); \`--resynth\` on their designs measures them again. Until then the bit-plane constants come from the re-measured designs only, or, with none, from \`src/estimate/provisional.ts\`.`);
    L.push('');
  }
  L.push('## Errors per block kind');
  L.push('');
  L.push('| fabric | kind | blocks | LUT median | LUT worst | FF median | FF worst | mem mismatches | target (LUT median <= 10 %, worst <= 25 %) |');
  L.push('|---|---|---:|---:|---:|---:|---:|---:|---|');
  for (const r of errRows) L.push(`| ${r.arch} | ${r.kind} | ${r.n} | ${pct(r.lutMedian)} | ${pct(r.lutMax)} | ${pct(r.ffMedian)} | ${pct(r.ffMax)} | ${r.memMismatch} | ${r.lutMedian <= 0.1 && r.lutMax <= 0.25 ? 'met' : 'NOT met'} |`);
  L.push('');
  L.push('## Layers of the sweep designs and examples');
  L.push('');
  L.push('| fabric | design | layer | LUT est | LUT meas | err | FF est | FF meas | mem est | mem meas | LUT depth |');
  L.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of layerRows) L.push(`| ${r.arch} | ${r.design} | ${r.layer} | ${Math.round(r.est.lut)} | ${r.meas.lut} | ${pct(relErr(r.est.lut, r.meas.lut))} | ${Math.round(r.est.ff)} | ${r.meas.ff} | ${r.est.mem} | ${r.meas.mem} | ${r.lutDepth ?? ''} |`);
  L.push('');
  /** @type {Record<string, { arch: Fabric; design: string; kind: string; rtl: string; e: number; m: number; em: number; mm: number }>} */
  const totals = {};
  for (const r of layerRows) {
    const k = `${r.arch}|${r.design}`;
    totals[k] ??= { arch: r.arch, design: r.design, kind: r.kind, rtl: r.rtl, e: 0, m: 0, em: 0, mm: 0 };
    totals[k].e += r.est.lut;
    totals[k].m += r.meas.lut;
    totals[k].em += r.est.mem;
    totals[k].mm += r.meas.mem;
  }
  L.push('## Design totals');
  L.push('');
  L.push('"RTL" is the hash of the RTL library the design was measured on (cached measurements are reused until `--resynth`; a design measured on an older library than the current one is marked *).');
  L.push('');
  L.push('| fabric | design | LUT est | LUT meas | err | mem est | mem meas | RTL |');
  L.push('|---|---|---:|---:|---:|---:|---:|---|');
  for (const t of Object.values(totals)) L.push(`| ${t.arch} | ${t.design}${t.kind === 'example' ? ' (example)' : ''} | ${Math.round(t.e)} | ${t.m} | ${pct(relErr(t.e, t.m))} | ${t.em} | ${t.mm} | ${t.rtl}${t.rtl === machine.rtl ? '' : ' *'} |`);
  L.push('');
  if (pop.length) {
    L.push('## XNOR-popcount datapath alone (synth_xilinx)');
    L.push('');
    L.push('`templates/lib/bnn_popcount.v` per PE with the compiler\'s plan (`src/blocks/popcount-plan.ts`), between registered inputs (x, streamed weights) and a registered output; POP_STAGES as the planner chooses (`popStagesFor(SIMD)`). LUT depth = most LUTs on a register-to-register path (carry chains and MUXF7/8 not counted); bound = the documented bound of `lutDepthBound` (compressor levels + accumulator split by POP_STAGES).');
    L.push('');
    L.push('| SIMD | PE | POP_STAGES | LUT | LUT6 per product bit | model LUT | LUT depth | bound |');
    L.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const p of pop) L.push(`| ${p.simd} | ${p.pe} | ${p.popStages} | ${p.lut} | ${p.lutPerBit.toFixed(3)} | ${p.modelLuts} | ${p.depth} | ${p.bound} |`);
    L.push('');
  }
  L.push('## Fitted constants');
  L.push('');
  L.push('```json');
  L.push(JSON.stringify(consts, null, 1));
  L.push('```');
  L.push('');
  L.push('## Every block');
  L.push('');
  L.push('| fabric | kind | design | block | LUT est | LUT meas | FF est | FF meas | mem est | mem meas |');
  L.push('|---|---|---|---|---:|---:|---:|---:|---:|---:|');
  for (const b of blockRows) L.push(`| ${b.arch} | ${b.kind} | ${b.design} | ${b.block} | ${b.lut[0]} | ${b.lut[1]} | ${b.ff[0]} | ${b.ff[1]} | ${b.mem[0]} | ${b.mem[1]} |`);
  L.push('');
  return L.join('\n');
}

await main();
