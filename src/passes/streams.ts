/**
 * The streams of a planned design, named as the generated RTL names them. The block chain
 * (plan.blocks) has one stream in front of every block plus the output stream; stream i is the input
 * of block i. In the RTL the streams between layer wrappers are the top-level wires `s<k>_t*`
 * (s0 = input, s<G> = output) and the streams inside a wrapper `u_layer_<layer>` are `st<j>_t*` (the output
 * of the wrapper's block j). The Verilog emitter (emit/rtl.ts), the cycle-accurate simulator (handshake traces, VCD, deadlock
 * messages) and the testbench (`+trace`, `+vcd_streams`) use this one table, so their names agree.
 */
import type { HwBlock } from '../blocks/types.js';
import type { HwPlan } from './plan.js';
import { outWidth, type Group } from './layers.js';
import type { Registry } from '../blocks/registry.js';

export interface StreamInfo {
  /** index in the block chain: input of plan.blocks[index] (index = blocks.length: the output) */
  index: number;
  /** hierarchical name below the design instance: `s1` or `u_layer_fc1.st0` */
  path: string;
  /** RTL scope holding the wires (relative to the design): '' (top level) or `u_layer_fc1` */
  scope: string;
  /** wire name prefix inside that scope: `s1` or `st0` (signals `<prefix>_tvalid` ...) */
  prefix: string;
  /** true for the streams between layers (and the design's input and output) */
  topLevel: boolean;
  /** tdata width in bits */
  width: number;
  /** producer and consumer, by block (and layer) name: 'input' / 'output' at the ends */
  from: string;
  to: string;
  /** layer (wrapper) names of producer and consumer */
  fromLayer: string;
  toLayer: string;
}

export function streamInfo(plan: Pick<HwPlan, 'blocks'>, gs: Group[], registry?: Registry): StreamInfo[] {
  const out: StreamInfo[] = [];
  let index = 0;
  const label = (b: HwBlock | undefined, end: string) => (b ? b.name : end);
  gs.forEach((g, k) => {
    g.blocks.forEach((b, j) => {
      const prev = plan.blocks[index - 1];
      const prevLayer = j === 0 ? (k === 0 ? 'input' : gs[k - 1]!.name) : g.name;
      if (j === 0) {
        out.push({ index, path: `s${k}`, scope: '', prefix: `s${k}`, topLevel: true, width: k === 0 ? g.inWidth : gs[k - 1]!.outWidth, from: label(prev, 'input'), to: b.name, fromLayer: prevLayer, toLayer: g.name });
      } else {
        const p = g.blocks[j - 1]!;
        out.push({ index, path: `${g.inst}.st${j - 1}`, scope: g.inst, prefix: `st${j - 1}`, topLevel: false, width: outWidth(p, registry), from: p.name, to: b.name, fromLayer: g.name, toLayer: g.name });
      }
      index++;
    });
  });
  const last = gs[gs.length - 1]!;
  out.push({ index, path: `s${gs.length}`, scope: '', prefix: `s${gs.length}`, topLevel: true, width: last.outWidth, from: last.compute.name, to: 'output', fromLayer: last.name, toLayer: 'output' });
  return out;
}

/** "s2 (fc0 -> fc1)", "u_layer_fc1.st0 (fc1_dwc -> fc1_fifo, inside layer fc1)" */
export function streamLabel(s: StreamInfo): string {
  return s.topLevel ? `${s.path} (${s.fromLayer} -> ${s.toLayer})` : `${s.path} (${s.from} -> ${s.to}, inside layer ${s.fromLayer})`;
}
