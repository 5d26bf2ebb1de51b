/**
 * add: the aligning adder of two code streams, out = a + (b << SHIFT) per lane
 * (templates/lib/bnn_add.v). Output width and cycle model: add-sim.ts.
 */
import type { AddBlock } from '../port-types.js';
import { empty, fifoFeatures } from '../features.js';
import type { PortKind } from '../port-kind.js';
import { ADD_IN_DEPTH, ADD_OBUF_DEPTH, AddSim, addOutWidth } from './add-sim.js';

export type AddLut = 'sum';
export type AddFf = 'credit';

/** the sum is written one cycle after the later word of the pair is accepted, visible one cycle later */
export const ADD_LATENCY = 2;

export const add: PortKind<AddBlock, AddLut, AddFf> = {
  kind: 'add',
  inputs: (b) => [
    { prefix: 'a_axis', index: null, width: b.params.PE * b.params.A_W },
    { prefix: 'b_axis', index: null, width: b.params.PE * b.params.B_W },
  ],
  outputs: (b) => [{ prefix: 'm_axis', index: null, width: b.params.PE * addOutWidth(b.params) }],
  params: (b) => [
    ...(['PE', 'A_W', 'A_SIGNED', 'B_W', 'B_SIGNED', 'SHIFT'] as const).map((k) => ({ name: k, value: b.params[k] })),
    // sign operands only where set (code operands keep their instance text)
    ...(['A_BIPOLAR', 'B_BIPOLAR'] as const).filter((k) => b.params[k]).map((k) => ({ name: k, value: 1 })),
    { name: 'OUT_W', value: addOutWidth(b.params) },
    { name: 'OBUF_DEPTH', value: ADD_OBUF_DEPTH },
  ],
  comment: (b) => {
    const p = b.params;
    const t = (w: number, s: number, bip: number | undefined) => (bip ? 'sign (+-1)' : `${w}-bit ${s ? 'signed' : 'unsigned'}`);
    return `aligning adder "${b.name}": ${p.PE} lanes, ${t(p.A_W, p.A_SIGNED, p.A_BIPOLAR)} a + (${t(p.B_W, p.B_SIGNED, p.B_BIPOLAR)} b << ${p.SHIFT}) -> ${addOutWidth(p)} bits`;
  },
  print: (b) => `${b.name}: add ${Object.entries(b.params).map(([k, v]) => `${k}=${v}`).join(' ')} OUT_W=${addOutWidth(b.params)}`,
  latency: () => ADD_LATENCY,
  obufDepth: () => ADD_OBUF_DEPTH,
  cycles: () => null,
  sim: (b) => new AddSim(b.name, b.params),
  /** one adder bit per output bit and lane, the credit counter; the two input FIFOs and the output FIFO nested */
  features: (b, o) => {
    const p = b.params;
    const f = empty<AddLut, AddFf>('add');
    const ow = addOutWidth(p);
    f.lut['sum'] = p.PE * ow;
    f.ff['credit'] = 2;
    f.nested.push(fifoFeatures(p.PE * p.A_W, ADD_IN_DEPTH, o.fabric), fifoFeatures(p.PE * p.B_W, ADD_IN_DEPTH, o.fabric), fifoFeatures(p.PE * ow, ADD_OBUF_DEPTH, o.fabric));
    return f;
  },
  // PROVISIONAL: fitted by hand to 4 Yosys 0.23 runs per fabric (PE 1..16, lanes 2..8 bits; docs/rtl-blocks.md
  // "Graph blocks: measured resources"), the nested FIFOs priced by their calibrated constants
  provisional: {
    xilinx: { lut: { one: 0, sum: 0.7 }, ff: { one: 0, credit: 1 } },
    ice40: { lut: { one: 8, sum: 1 }, ff: { one: 0, credit: 1 } },
  },
};
