/**
 * Drive the graph cycle engine (src/sim/dag-engine.ts) with the rules of porttb.ts (one graph input,
 * one graph output), so a composition of PortSims can be compared handshake for handshake with the
 * same composition of library modules in Icarus / Verilator: porttb's seeded masks become the
 * engine's valid / ready patterns (cycle 0 offers nothing and no sink is ready, as porttb does).
 */
import type { Beat, PortSim } from '../../src/blocks/sim-base.js';
import { simulateGraph } from '../../src/sim/dag-engine.js';
import { bit, masks, type PortDrive, type PortRun } from './porttb.js';

/** An edge from output port `from[1]` of node `from[0]` to input port `to[1]` of node `to[0]`. */
export interface DagEdge {
  from: [number, number];
  to: [number, number];
}

/** porttb's mask as a pattern over the run: bit c for cycle c >= 1, nothing in cycle 0 */
function pattern(words: readonly bigint[], cycles: number): Uint8Array {
  const p = new Uint8Array(Math.max(1, cycles));
  for (let c = 1; c < cycles; c++) p[c] = bit(words, c) ? 1 : 0;
  return p;
}

export function driveDag(nodes: PortSim[], edges: DagEdge[], input: [number, number], output: [number, number], beats: readonly Beat[], nOut: number, d: PortDrive, pack: (b: Beat) => bigint): PortRun {
  const { v, r } = masks(d);
  const port = ([node, p]: [number, number]) => ({ node, port: p });
  const graph = {
    nodes,
    edges: edges.map((e) => ({ name: `${nodes[e.from[0]]!.name}.${e.from[1]}->${nodes[e.to[0]]!.name}.${e.to[1]}`, from: port(e.from), to: port(e.to) })),
    input: port(input),
    output: port(output),
  };
  const patterns = { valid: pattern(v[0]!, d.maxCycles), ready: pattern(r[0]!, d.maxCycles) };
  // the run ends at the last output (porttb's tail cycles only see inputs that are already all taken)
  const res = simulateGraph(graph, beats, nOut, { patterns, maxCycles: d.maxCycles, watchdog: d.maxCycles, traceStreams: true });
  return { outs: [{ beats: res.outBeats.map(pack), cycles: res.outCycles }], ins: [res.streamCycles![0]!], timeout: res.outBeats.length < nOut };
}
