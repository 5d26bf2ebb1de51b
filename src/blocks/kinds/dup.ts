/**
 * dup: stream duplication, one stream to N branches with independent backpressure
 * (templates/lib/bnn_dup.v). Cycle model: dup-sim.ts.
 */
import type { DupBlock } from '../port-types.js';
import { empty } from '../features.js';
import type { PortKind } from '../port-kind.js';
import { STREAM_LATENCY } from '../timing.js';
import { DupSim } from './dup-sim.js';

export type DupLut = 'mux' | 'ctl';
export type DupFf = 'store' | 'ctl';

export const dup: PortKind<DupBlock, DupLut, DupFf> = {
  kind: 'dup',
  inputs: (b) => [{ prefix: 's_axis', index: null, width: b.width }],
  outputs: (b) => Array.from({ length: b.n }, (_, k) => ({ prefix: 'm_axis', index: k, width: b.width })),
  params: (b) => [{ name: 'WIDTH', value: b.width }, { name: 'N', value: b.n }],
  comment: (b) => `stream duplication "${b.name}": ${b.width} bits to ${b.n} branches`,
  print: (b) => `${b.name}: dup WIDTH=${b.width} N=${b.n}`,
  latency: () => STREAM_LATENCY,
  obufDepth: () => null,
  cycles: () => null,
  sim: (b) => new DupSim(b.name, b.n),
  /** per branch a 2:1 read multiplexer per bit and its count; the shared 2-word buffer, write pointer */
  features: (b) => {
    const f = empty<DupLut, DupFf>('dup');
    f.lut['mux'] = b.n * b.width;
    f.lut['ctl'] = b.n;
    f.ff['store'] = 2 * b.width;
    f.ff['ctl'] = 2 * b.n + 1;
    return f;
  },
  // PROVISIONAL: fitted by hand to 5 Yosys 0.23 runs per fabric (WIDTH 8..64, N 2..4; docs/rtl-blocks.md
  // "Graph blocks: measured resources"), until `npm run calibrate` covers the kind
  provisional: {
    xilinx: { lut: { one: 0, mux: 1, ctl: 8 }, ff: { one: 0, store: 1, ctl: 1 } },
    ice40: { lut: { one: 4, mux: 1, ctl: 7 }, ff: { one: 0, store: 1, ctl: 1 } },
  },
};
