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
 * d for masked (zero-padded) XNOR layers, the accumulator for integer layers. With levels: n per
 * neuron (neuron j's at j*n ..), non-decreasing, as bnn_levels needs them.
 */
export function blockThresholds(b: MvtuBlock | MvuIntBlock): number[] {
  const thr = b.stage.levels ? b.stage.levels.thr : b.stage.thr!;
  if (b.stage.levels) assertSorted(thr, b.stage.levels.n, 1, b.name);
  if (b.kind === 'mvtu' && b.masked) return Array.from(thr, (t) => Math.min(b.stage.mw + 1, Math.max(-b.stage.mw, t)));
  if (b.kind === 'mvtu') return Array.from(thr, (t) => popcountThreshold(t, b.stage.mw));
  return Array.from(thr, (t) => Math.min(b.stage.dMax + 1, Math.max(-b.stage.dMax, t)));
}

/** bnn_levels decodes a thermometer code: every value's thresholds must be sorted (dir > 0: non-decreasing). */
function assertSorted(thr: ArrayLike<number>, n: number, dir: number, name: string, from = 0, count = thr.length / n): void {
  for (let v = from; v < from + count; v++) {
    for (let l = 1; l < n; l++) {
      const a = thr[v * n + l - 1]!;
      const c = thr[v * n + l]!;
      if (dir > 0 ? c < a : c > a) throw new Error(`internal: thresholds of "${name}" value ${v} are not sorted`);
    }
  }
}

/** The threshold ROM: NF words of PE (x n with levels) TW-bit lanes, neuron k's threshold l at lane k*n + l. */
export function thresholdMem(b: MvtuBlock | MvuIntBlock): string {
  const t = blockThresholds(b);
  const n = b.levels ? b.levels.n : 1;
  const words: string[] = [];
  for (let f = 0; f < b.nf; f++) words.push(hexLanes(t.slice(f * b.pe * n, (f + 1) * b.pe * n), b.tw));
  return hexFile(words);
}

/**
 * Input thresholds: lane k of word a is element a*PE + k: {dir (1: <=), T (TW-bit two's complement)};
 * with levels {dir, T_n-1 .. T_0} (n*TW + 1 bits; sorted in the direction of dir, bnn_levels).
 */
export function threshInMem(b: ThreshInBlock): string {
  const { stage, pe, tdepth, tw } = b;
  const n = stage.levels ? stage.levels.n : 1;
  const lw = n * tw + 1;
  const words: string[] = [];
  const field = (t: number) => ((BigInt(t) % (1n << BigInt(tw))) + (1n << BigInt(tw))) % (1n << BigInt(tw));
  for (let a = 0; a < tdepth; a++) {
    let word = 0n;
    for (let k = pe - 1; k >= 0; k--) {
      const e = (a * pe + k) % stage.period;
      if (stage.levels) assertSorted(stage.thr, n, stage.dir[e]!, b.name, e, 1);
      let dir = stage.dir[e]! < 0 ? 1 : 0;
      let t0 = stage.thr[e * n]!;
      // one bit, unsigned input: "x <= -1" (never true) has no unsigned TW-bit form; "x >= 2^IN_W" is the same bit
      if (!stage.levels && !b.signed && dir === 1 && t0 < 0) [dir, t0] = [0, 2 ** b.inW];
      let lane = BigInt(dir);
      for (let l = n - 1; l >= 0; l--) lane = (lane << BigInt(tw)) | field(l === 0 ? t0 : stage.thr[e * n + l]!);
      word = (word << BigInt(lw)) | lane;
    }
    words.push(word.toString(16).padStart(Math.ceil((pe * lw) / 4), '0'));
  }
  return hexFile(words);
}

/** Rank ROM of lane k: address nf*NVALS + p. */
export function rankMem(b: ArgmaxBlock, lane: number): string {
  const r = b.rank!;
  return hexFile(r.lanes[lane]!.map((v) => hexLanes([v], r.rankW)));
}
