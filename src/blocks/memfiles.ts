/**
 * Memory initialisation files for the library modules' ROMs (formats in docs/rtl-blocks.md).
 */
import type { ArgmaxBlock, MvtuBlock, MvuIntBlock, ThreshInBlock } from './types.js';
import { hexFile, hexLanes } from '../util/hex.js';
import { BitMatrix } from '../util/bits.js';

const romCache = new WeakMap<Uint8Array, Map<string, BitMatrix>>();
const packedCache = new WeakMap<Uint8Array, BitMatrix>();

/** The layer's weights as an MH x MW bit matrix (once per weight array). */
function packedWeights(weights: Uint8Array, mh: number, mw: number): BitMatrix {
  let m = packedCache.get(weights);
  if (!m) packedCache.set(weights, (m = BitMatrix.fromBits(weights, mh, mw)));
  return m;
}

/**
 * The weight ROM as a bit matrix, NF*SF words of PE*SIMD bits: word nf*SF + sf, bit k*SIMD + i = weight
 * of neuron nf*PE + k for input sf*SIMD + i. Computed once per layer weights and folding (generate
 * and the estimate of its flows/estimate.json both read it); the bits are copied 32 at a time.
 */
export function weightRom(b: MvtuBlock | MvuIntBlock): BitMatrix {
  const { pe, simd, sf, nf } = b;
  const { weights, mw, mh } = b.stage;
  const key = `${pe}x${simd}`;
  let byFold = romCache.get(weights);
  const hit = byFold?.get(key);
  if (hit) return hit;
  const src = packedWeights(weights, mh, mw);
  const m = new BitMatrix(nf * sf, pe * simd);
  // the ROM's bits in storage order: word by word, in a word neuron by neuron, SIMD inputs each
  const out = m.appender();
  for (let f = 0; f < nf; f++) {
    for (let s = 0; s < sf; s++) {
      for (let k = 0; k < pe; k++) {
        const from = (f * pe + k) * mw + s * simd;
        for (let i = 0; i < simd; i += 32) {
          const n = Math.min(32, simd - i);
          out.put(src.bitsAt(from + i, n), n);
        }
      }
    }
  }
  if (!byFold) romCache.set(weights, (byFold = new Map()));
  byFold.set(key, m);
  return m;
}

/** The weight ROM's image ($readmemh text as bytes). */
export function weightMem(b: MvtuBlock | MvuIntBlock): Buffer {
  return weightRom(b).hexImage();
}

/** Popcount threshold for "d >= T" with d = 2p - N: p >= ceil((T + N) / 2), clamped to [0, N + 1]. */
export function popcountThreshold(t: number, n: number): number {
  return Math.min(n + 1, Math.max(0, Math.ceil((t + n) / 2)));
}

/**
 * Per-neuron hardware thresholds of a block: popcount domain for XNOR layers, the signed dot product
 * d for masked (zero-padded) XNOR layers, the accumulator for integer layers.
 */
export function blockThresholds(b: MvtuBlock | MvuIntBlock): number[] {
  const thr = b.stage.thr!;
  if (b.kind === 'mvtu' && b.masked) return Array.from(thr, (t) => Math.min(b.stage.mw + 1, Math.max(-b.stage.mw, t)));
  if (b.kind === 'mvtu') return Array.from(thr, (t) => popcountThreshold(t, b.stage.mw));
  return Array.from(thr, (t) => Math.min(b.stage.dMax + 1, Math.max(-b.stage.dMax, t)));
}

export function thresholdMem(b: MvtuBlock | MvuIntBlock): string {
  const t = blockThresholds(b);
  const words: string[] = [];
  for (let f = 0; f < b.nf; f++) words.push(hexLanes(t.slice(f * b.pe, (f + 1) * b.pe), b.tw));
  return hexFile(words);
}

/** Input thresholds: lane k of word a is element a*PE + k: {dir (1: <=), T (TW-bit two's complement)}. */
export function threshInMem(b: ThreshInBlock): string {
  const { stage, pe, tdepth, tw } = b;
  const words: string[] = [];
  for (let a = 0; a < tdepth; a++) {
    const lanes: number[] = [];
    for (let k = 0; k < pe; k++) {
      const e = (a * pe + k) % stage.period;
      const t = stage.thr[e]!;
      const dir = stage.dir[e]! < 0 ? 1 : 0;
      const field = ((t % 2 ** tw) + 2 ** tw) % 2 ** tw;
      lanes.push(dir * 2 ** tw + field);
    }
    words.push(hexLanes(lanes, tw + 1));
  }
  return hexFile(words);
}

/** Rank ROM of lane k: address nf*NVALS + p. */
export function rankMem(b: ArgmaxBlock, lane: number): string {
  const r = b.rank!;
  return hexFile(r.lanes[lane]!.map((v) => hexLanes([v], r.rankW)));
}
