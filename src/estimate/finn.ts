/**
 * FINN's published resource estimate formulas for the matrix-vector unit (MVAU), for side-by-side
 * comparison (`bnn-hw estimate --model finn`). Source: ../shared/REFERENCE.md section 6 (FINN /
 * FINN-R: "lut_estimation" and "bram_estimation" of the HLS MVAU). Notation: P = PE, Q = SIMD,
 * W = weight bits (1), A = input bits, omega = MW*MH/(P*Q) weight words, w = P*Q*W word bits.
 *
 *   BRAM18 (decoupled weights, ram_style block / auto):
 *     w = 1: ceil(omega/16384); w = 2: ceil(omega/8192); w <= 4: ceil(omega/4096)*ceil(w/4);
 *     w <= 9: ceil(omega/2048)*ceil(w/9); w <= 18 or omega > 512: ceil(omega/1024)*ceil(w/18);
 *     else ceil(omega/512)*ceil(w/36). 0 for ram_style distributed, and for embedded weights
 *     with omega <= 128.
 *   LUT = floor(300 + 1.1 * P * (mult + adder + acc) + c2), mult = Q*(2*ceil((W+A)/6)-1)*(W+A),
 *     adder = (W+A)*(2Q-1), acc = ceil(alpha + log2(1 + 2^-alpha) + 1) with
 *     alpha = log2(MW) + W + A - 1 - signed(input) (FINN's minimal accumulator bound; a bipolar
 *     input counts as signed), c2 = P*Q*W*ceil(omega/64) for distributed (LUTRAM) weights or
 *     embedded weights with omega <= 128, else 0. Thresholds (thr / comp) are counted only for
 *     distributed thresholds, which FINN's published TFC numbers do not include; FIFOs, width
 *     converters, thresholding, sliding windows, pooling and the label select are not part of the
 *     estimate.
 * Reproduces the worked TFC-w1a1 example of REFERENCE.md (BRAM18 22/2/2/0, LUT 5632/775/775/974).
 */
import { readInputText } from '../util/input-file.js';
import { parseJson } from '../frontend/json.js';
import type { HwPlan } from '../passes/plan.js';
import { kindOf, type Registry } from '../blocks/registry.js';

export type RamStyle = 'auto' | 'block' | 'distributed' | 'ultra';
export type MemMode = 'internal_decoupled' | 'internal_embedded';

export interface FinnLayerInput {
  name: string;
  mw: number;
  mh: number;
  pe: number;
  simd: number;
  /** input bits (1 for binary activations) */
  a: number;
  signedInput: boolean;
  ramStyle?: RamStyle;
  memMode?: MemMode;
}

export interface FinnLayerEstimate {
  name: string;
  lut: number;
  bram18: number;
  /** weight memory depth and word width */
  omega: number;
  wordBits: number;
  accBits: number;
  ramStyle: RamStyle;
}

export function finnAccBits(mw: number, w: number, a: number, signedInput: boolean): number {
  const alpha = Math.log2(mw) + w + a - 1 - (signedInput ? 1 : 0);
  return Math.ceil(alpha + Math.log2(1 + 2 ** -alpha) + 1);
}

export function finnBram18(omega: number, w: number, ramStyle: RamStyle, memMode: MemMode): number {
  if (ramStyle === 'distributed' || ramStyle === 'ultra') return 0;
  if (memMode === 'internal_embedded' && omega <= 128) return 0;
  if (w === 1) return Math.ceil(omega / 16384);
  if (w === 2) return Math.ceil(omega / 8192);
  if (w <= 4) return Math.ceil(omega / 4096) * Math.ceil(w / 4);
  if (w <= 9) return Math.ceil(omega / 2048) * Math.ceil(w / 9);
  if (w <= 18 || omega > 512) return Math.ceil(omega / 1024) * Math.ceil(w / 18);
  return Math.ceil(omega / 512) * Math.ceil(w / 36);
}

export function finnMvau(l: FinnLayerInput): FinnLayerEstimate {
  const W = 1;
  const A = l.a;
  const P = l.pe;
  const Q = l.simd;
  const omega = (l.mw * l.mh) / (P * Q);
  const w = P * Q * W;
  const ramStyle = l.ramStyle ?? 'auto';
  const memMode = l.memMode ?? 'internal_decoupled';
  const mult = Q * (2 * Math.ceil((W + A) / 6) - 1) * (W + A);
  const adder = (W + A) * (2 * Q - 1);
  const acc = finnAccBits(l.mw, W, A, l.signedInput);
  const lutramWeights = (memMode === 'internal_decoupled' && ramStyle === 'distributed') || (memMode === 'internal_embedded' && omega <= 128);
  const c2 = lutramWeights ? P * Q * W * Math.ceil(omega / 64) : 0;
  const lut = Math.floor(300 + 1.1 * P * (mult + adder + acc) + c2);
  return { name: l.name, lut, bram18: finnBram18(omega, w, ramStyle, memMode), omega, wordBits: w, accBits: acc, ramStyle };
}

/** FINN ram_style hints per MVAU index from a FINN folding_config.json (others: auto). */
export function finnRamStyles(foldFile: string | undefined): Map<number, RamStyle> {
  const out = new Map<number, RamStyle>();
  if (!foldFile) return out;
  // the folding file was read (and checked) by the folding choice before; a coded diagnostic if it changed since
  const text = readInputText(foldFile, 'folding');
  // the same checks (nesting, duplicate keys) as every JSON read from the user
  return finnRamStylesOf(parseJson(text, 'folding file'));
}

/** The same from a parsed folding (a FINN folding_config.json's value). */
export function finnRamStylesOf(o: unknown): Map<number, RamStyle> {
  const out = new Map<number, RamStyle>();
  if (o === null || typeof o !== 'object') return out;
  for (const [k, v] of Object.entries(o)) {
    const m = /^(MVAU|MatrixVectorActivation|StreamingFCLayer)(_hls|_rtl|_Batch)?_(\d+)$/.exec(k);
    if (!m || v === null || typeof v !== 'object') continue;
    const rs = (v as Record<string, unknown>)['ram_style'];
    if (rs === 'auto' || rs === 'block' || rs === 'distributed' || rs === 'ultra') out.set(Number(m[3]), rs);
  }
  return out;
}

/** FINN's estimate for every MVU of a plan (in layer order). */
export function finnEstimate(plan: HwPlan, ramStyles: Map<number, RamStyle> = new Map(), registry?: Registry): FinnLayerEstimate[] {
  const rows = plan.blocks.flatMap((b) => {
    const finn = kindOf(b, registry).finn;
    return finn ? [{ name: b.name, ...finn(b) }] : [];
  });
  return rows.map((r, i) => finnMvau({ ...r, ramStyle: ramStyles.get(i) ?? 'auto' }));
}
