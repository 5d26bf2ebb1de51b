/**
 * pool: max-pool on a binary or k-bit code stream (templates/lib/bnn_pool.v): OR / max of the codes (or
 * AND / min, per channel, where the following threshold flips the order) over KH x KW windows, PE
 * channels of ELEM_W bits per beat; with SUM the window sum (an avgpool shortcut, window-sum.ts) into
 * OUT_W-bit lanes. Geometry and cycle model: pool-sim.ts.
 */
import type { PoolBlock, PoolParams } from '../types.js';
import { windowSumLane } from '../levels.js';
import { addRamFeatures, aw, empty, fifoFeatures, type RamFf, type RamLut } from '../features.js';
import type { BlockKind } from '../kind.js';
import { POOL_LATENCY } from '../timing.js';
import { bitVector } from '../../util/hex.js';
import { POOL_OBUF_DEPTH, PoolSim, poolGeometry, poolOutWidth, poolStructureParams } from './pool-sim.js';

export type PoolLut = 'ctl' | 'ops' | 'sum' | RamLut<'hist' | 'vhist'>;
export type PoolFf = 'ctl' | RamFf<'hist' | 'vhist'>;

const obufDepth = (): number => POOL_OBUF_DEPTH;

/**
 * Bits of one lane's window-sum adders: the horizontal adders sum 2 .. KW codes, the vertical ones
 * 2 .. KH rows of KW; each is as wide as the lane of its sum (synthesis drops the constant top bits of
 * the OUT_W-bit datapath).
 */
function sumAdderBits(p: PoolParams): number {
  const elem = { w: p.ELEM_W, signed: p.SIGNED === 1 };
  let bits = 0;
  for (let m = 2; m <= p.KW; m++) bits += windowSumLane(elem, m).w;
  for (let r = 2; r <= p.KH; r++) bits += windowSumLane(elem, r * p.KW).w;
  return bits;
}

export const pool: BlockKind<PoolBlock, PoolLut, PoolFf> = {
  kind: 'pool',
  role: 'compute',
  unit: 'layer',
  keepHierarchy: false,
  search: 'previous',
  params: (b) => [
    ...(['C', 'PE', 'ELEM_W', 'SIGNED', 'H', 'W', 'KH', 'KW', 'SH', 'SW'] as const).map((k) => ({ name: k, value: b.params[k] })),
    { name: 'AND_MASK', value: bitVector(b.params.AND_MASK) },
    // a max-pool's instance keeps its parameters of before the sum mode (SUM 0, OUT_W = ELEM_W defaults)
    ...(b.params.SUM ? [{ name: 'SUM', value: 1 }, { name: 'OUT_W', value: poolOutWidth(b.params) }] : []),
    ...poolStructureParams(b.params),
    { name: 'OBUF_DEPTH', value: obufDepth() },
  ],
  inWidth: (b) => b.params.PE * b.params.ELEM_W,
  outWidth: (b) => b.params.PE * poolOutWidth(b.params),
  wrapper: () => ({ wires: [], assigns: [], instances: [], ports: [] }),
  memories: () => [],
  comment: (b) => {
    const p = b.params;
    const ands = p.AND_MASK.filter((x) => x).length;
    if (p.SUM) return `window sum "${b.name}" ${p.KH}x${p.KW} stride ${p.SH}x${p.SW} over ${p.H}x${p.W}x${p.C} ${p.ELEM_W}-bit ${p.SIGNED ? 'signed' : 'unsigned'} codes -> ${poolOutWidth(p)}-bit sums, ${p.PE} channels/beat`;
    if (p.ELEM_W === 1) return `max-pool "${b.name}" ${p.KH}x${p.KW} stride ${p.SH}x${p.SW} over ${p.H}x${p.W}x${p.C}, ${p.PE} channels/beat, OR on ${p.C - ands} channels, AND on ${ands}`;
    return `max-pool "${b.name}" ${p.KH}x${p.KW} stride ${p.SH}x${p.SW} over ${p.H}x${p.W}x${p.C} ${p.ELEM_W}-bit ${p.SIGNED ? 'signed' : 'unsigned'} codes, ${p.PE} channels/beat, max on ${p.C - ands} channels, min on ${ands}`;
  },
  print: (b) => `${b.name}: pool ${Object.entries(b.params).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('') : String(v)}`).join(' ')}${b.params.SUM ? ` OUT_W=${poolOutWidth(b.params)}` : ''}`,
  /** one input beat per cycle: H*W*C/PE (the manifest's number; `simulate` reports the same) */
  cycles: (b) => poolGeometry(b.params).inBeats,
  steps: (_b, n) => n.inBeats,
  layer: (b) => ({ pe: b.params.PE, simd: b.params.PE, mw: b.params.C, mh: b.params.C, cycles: poolGeometry(b.params).inBeats }),
  latency: () => POOL_LATENCY,
  obufDepth: () => obufDepth(),
  sim: (b) => new PoolSim(b.name, b.params, obufDepth()),
  /**
   * horizontal and vertical history memories, AND / OR lanes (k-bit: a comparator and a multiplexer per
   * lane and operand, counted as 2 * ELEM_W 'ops' each: provisional until calibrated on k-bit pools;
   * SUM: one OUT_W-bit adder per lane and operand, 'sum' = adder bits, priced by a PROVISIONAL constant,
   * estimate/provisional.ts), counters, output FIFO.
   */
  features: (b, o) => {
    const f = empty<PoolLut, PoolFf>('pool');
    const p = b.params;
    const { cp, ow } = poolGeometry(p);
    f.lut['ctl'] = aw(cp) + aw(p.W) + aw(p.H) + 2 * aw(ow * cp);
    if (p.SUM) f.lut['sum'] = p.PE * sumAdderBits(p);
    else f.lut['ops'] = p.PE * (p.KW - 1 + p.KH - 1) * (p.ELEM_W === 1 ? 1 : 2 * p.ELEM_W);
    f.ff['ctl'] = aw(cp) + aw(p.W) + aw(p.H) + 2 * aw(ow * cp);
    const lw = p.PE * p.ELEM_W;
    const rw = p.PE * poolOutWidth(p);
    if (p.KW > 1) addRamFeatures(o.fabric, (p.KW - 1) * lw, cp, 'hist', f);
    if (p.KH > 1) addRamFeatures(o.fabric, (p.KH - 1) * rw, ow * cp, 'vhist', f);
    f.nested.push(fifoFeatures(rw, obufDepth(), o.fabric));
    return f;
  },
  finn: null,
};
