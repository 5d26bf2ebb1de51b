/**
 * A minimal graph stepper for the multi-port cycle models (PortSim, src/blocks/sim-base.ts), driven
 * with the rules of porttb.ts (one graph input, one graph output): every register-only output is read
 * first, then every block takes its clock edge, as src/sim/engine.ts does for a chain. A prototype of
 * what the DAG engine of issue 13 does, used to co-simulate small block compositions.
 */
import type { Beat, PortSim } from '../../src/blocks/sim-base.js';
import { drivePorts, type PortDrive, type PortRun } from './porttb.js';

/** An edge from output port `from[1]` of node `from[0]` to input port `to[1]` of node `to[0]`. */
export interface DagEdge {
  from: [number, number];
  to: [number, number];
}

/** The graph as one PortSim: its input 0 feeds `input`, its output 0 is `output`. */
export function dagSim(nodes: PortSim[], edges: DagEdge[], input: [number, number], output: [number, number]): PortSim {
  const feeds = (n: number, i: number) => edges.find((e) => e.to[0] === n && e.to[1] === i);
  const reads = (n: number, o: number) => edges.find((e) => e.from[0] === n && e.from[1] === o);
  return {
    name: 'dag',
    inPorts: 1,
    outPorts: 1,
    sReady: () => nodes[input[0]]!.sReady(input[1]),
    mValid: () => nodes[output[0]]!.mValid(output[1]),
    mData: () => nodes[output[0]]!.mData(output[1]),
    step(cycle, sValid, sData, mReady) {
      const plan = nodes.map((s, n) => {
        const sv: boolean[] = [];
        const sd: (Beat | null)[] = [];
        for (let i = 0; i < s.inPorts; i++) {
          const e = feeds(n, i);
          const src = e ? nodes[e.from[0]]! : null;
          const v = e ? src!.mValid(e.from[1]) : n === input[0] && i === input[1] ? sValid[0]! : false;
          sv.push(v);
          sd.push(v ? (e ? src!.mData(e.from[1]) : sData[0]!) : null);
        }
        const mr: boolean[] = [];
        for (let o = 0; o < s.outPorts; o++) {
          const e = reads(n, o);
          mr.push(e ? nodes[e.to[0]]!.sReady(e.to[1]) : n === output[0] && o === output[1] ? mReady[0]! : false);
        }
        return { sv, sd, mr };
      });
      nodes.forEach((s, n) => s.step(cycle, plan[n]!.sv, plan[n]!.sd, plan[n]!.mr));
    },
    busy: () => nodes.some((s) => s.busy()),
    occupancy: () => nodes.reduce((a, s) => a + s.occupancy(), 0),
  };
}

export function driveDag(nodes: PortSim[], edges: DagEdge[], input: [number, number], output: [number, number], beats: readonly Beat[], nOut: number, d: PortDrive, pack: (b: Beat) => bigint): PortRun {
  return drivePorts(dagSim(nodes, edges, input, output), [beats], [nOut], d, (_o, b) => pack(b));
}
