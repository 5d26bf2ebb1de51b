/**
 * gap: the global accumulator, per-channel code sums over a frame (templates/lib/bnn_gap.v). Output
 * width and cycle model: gap-sim.ts.
 */
import type { GapBlock } from '../port-types.js';
import { addRamFeatures, aw, empty, fifoFeatures, type RamFf, type RamLut } from '../features.js';
import type { PortKind } from '../port-kind.js';
import { asPortSim } from '../sim-base.js';
import { GAP_LATENCY, GAP_OBUF_DEPTH, GapSim, gapOutWidth } from './gap-sim.js';

export type GapLut = 'sum' | 'ctl' | RamLut<'acc'>;
export type GapFf = 'ctl' | RamFf<'acc'>;

export const gap: PortKind<GapBlock, GapLut, GapFf> = {
  kind: 'gap',
  inputs: (b) => [{ prefix: 's_axis', index: null, width: b.params.PE * b.params.IN_W }],
  outputs: (b) => [{ prefix: 'm_axis', index: null, width: b.params.PE * gapOutWidth(b.params) }],
  params: (b) => [
    ...(['PE', 'C', 'HW', 'IN_W', 'IN_SIGNED'] as const).map((k) => ({ name: k, value: b.params[k] })),
    { name: 'OUT_W', value: gapOutWidth(b.params) },
    { name: 'OBUF_DEPTH', value: GAP_OBUF_DEPTH },
  ],
  comment: (b) => {
    const p = b.params;
    return `global accumulator "${b.name}": ${p.C} channels of ${p.IN_W}-bit ${p.IN_SIGNED ? 'signed' : 'unsigned'} codes over ${p.HW} pixels, ${p.PE} channels/beat -> ${gapOutWidth(p)}-bit sums`;
  },
  print: (b) => `${b.name}: gap ${Object.entries(b.params).map(([k, v]) => `${k}=${v}`).join(' ')} OUT_W=${gapOutWidth(b.params)}`,
  latency: () => GAP_LATENCY,
  obufDepth: () => GAP_OBUF_DEPTH,
  /** one input beat per cycle: HW * C/PE */
  cycles: (b) => (b.params.HW * b.params.C) / b.params.PE,
  sim: (b) => asPortSim(new GapSim(b.name, b.params)),
  /** an adder bit per sum bit and lane, counters, the partial sums (C/PE words), the output FIFO nested */
  features: (b, o) => {
    const p = b.params;
    const f = empty<GapLut, GapFf>('gap');
    const ow = gapOutWidth(p);
    const cf = p.C / p.PE;
    f.lut['sum'] = p.PE * ow;
    f.lut['ctl'] = aw(cf) + aw(p.HW);
    f.ff['ctl'] = aw(cf) + aw(p.HW) + 2;
    addRamFeatures(o.fabric, p.PE * ow, cf, 'acc', f);
    f.nested.push(fifoFeatures(p.PE * ow, GAP_OBUF_DEPTH, o.fabric));
    return f;
  },
  // PROVISIONAL: fitted by hand to 5 Yosys 0.23 runs per fabric (PE 1..16, C/PE 1..256, HW 16..64;
  // docs/rtl-blocks.md "Graph blocks: measured resources"); acc_slices / acc_mux not measured (1 each)
  provisional: {
    xilinx: { lut: { one: 0, sum: 2, ctl: 3, acc_ffmux: 1, acc_slices: 1, acc_mux: 1, acc_bypass: 1 }, ff: { one: 0, ctl: 1, acc_store: 1, acc_bypass: 1 } },
    ice40: { lut: { one: 0, sum: 1, ctl: 3, acc_ffmux: 1, acc_slices: 1, acc_mux: 1, acc_bypass: 1 }, ff: { one: 0, ctl: 1, acc_store: 1, acc_bypass: 1 } },
  },
};
