/**
 * swg: the sliding-window generator (templates/lib/bnn_swg.v) in front of a convolution's MVU: a line
 * buffer of the input image that emits, per output position, its KH x KW window with padding taps,
 * SIMD channels per beat. Geometry and cycle model: swg-sim.ts.
 */
import type { SwgBlock } from '../types.js';
import { mapMemory } from '../memory.js';
import { aw, empty, fifoFeatures } from '../features.js';
import type { BlockKind } from '../kind.js';
import { SWG_LATENCY } from '../timing.js';
import { SWG_OBUF_DEPTH, SwgSim, swgGeometry, swgStructureParams } from './swg-sim.js';

export type SwgLut = 'ctl' | 'out' | 'mem_ffmux' | 'mem_mux';
export type SwgFf = 'ctl' | 'out' | 'mem_store';

const obufDepth = (): number => SWG_OBUF_DEPTH;

export const swg: BlockKind<SwgBlock, SwgLut, SwgFf> = {
  kind: 'swg',
  role: 'stream',
  unit: 'layer',
  keepHierarchy: true,
  search: 'layer',
  params: (b) => [
    ...Object.entries(b.params).map(([name, value]) => ({ name, value: value as number })),
    ...swgStructureParams(b.params),
    { name: 'OBUF_DEPTH', value: obufDepth() },
  ],
  inWidth: (b) => b.params.SIMD * b.params.ELEM_W,
  outWidth: (b) => b.params.SIMD * b.params.ELEM_W + b.params.PAD_MODE,
  wrapper: () => ({ wires: [], assigns: [], instances: [], ports: [] }),
  memories: () => [],
  comment: (b) => {
    const p = b.params;
    return `sliding window ${p.KH}x${p.KW} stride ${p.SH}x${p.SW} over ${p.H}x${p.W}x${p.C}, ${p.SIMD} channels/beat, padding ${p.PAD_T},${p.PAD_B},${p.PAD_L},${p.PAD_R} ${p.PAD_MODE ? '(masked: true zero)' : `(value ${p.PAD_ELEM})`}`;
  },
  print: (b) => `${b.name}: swg ${Object.entries(b.params).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('') : String(v)}`).join(' ')}`,
  /** it reads every input beat once, also those a stride skips */
  cycles: (b) => swgGeometry(b.params).inBeats,
  steps: (_b, n) => n.inBeats,
  layer: () => null,
  latency: () => SWG_LATENCY,
  obufDepth: () => obufDepth(),
  sim: (b) => new SwgSim(b.name, b.params, obufDepth()),
  /** line buffer (RAM), position counters, output FIFO. */
  features: (b, o) => {
    const f = empty<SwgLut, SwgFf>('swg');
    const p = b.params;
    const g = swgGeometry(p);
    const inW = p.SIMD * p.ELEM_W;
    f.lut['ctl'] = aw(g.cg) + aw(p.W) + aw(p.H) + aw(p.KH) + aw(p.KW) + aw(g.ow) + aw(g.oh) + 2 * aw(g.depth);
    f.lut['out'] = g.outW;
    f.ff['ctl'] = aw(g.cg) + aw(p.W) + aw(p.H) + aw(p.KH) + aw(p.KW) + aw(g.ow) + aw(g.oh) + 2 * aw(g.depth);
    f.ff['out'] = g.outW;
    const m = mapMemory(o.fabric, { width: inW, depth: g.depth, kind: 'ram' });
    if (m.option === null) {
      f.ff['mem_store'] = inW * g.depth;
      f.lut['mem_ffmux'] = inW * (g.depth - 1) + g.depth;
    } else {
      f.fixed = { ...f.fixed, bram18: m.bram18, ebr: m.ebr, lutram: m.lutram, lut: m.lutram };
      f.lut['mem_mux'] = inW * (m.slices - 1);
    }
    f.nested.push(fifoFeatures(g.outW, obufDepth(), o.fabric));
    return f;
  },
  finn: null,
};
