/**
 * The cycle engine for a graph of multi-port cycle models (PortSim, src/blocks/sim-base.ts) joined by
 * port edges, with one graph input and one graph output: the graph planner's designs (issue 13:
 * dup -> bypass FIFO / long branch -> add -> ...). It follows the chain engine (engine.ts) rule for
 * rule: two-phase stepping (every register-only output is read, every handshake decided, then every
 * node takes its clock edge with the inputs it saw), the testbench's input offer rule (a beat once
 * offered stays offered until taken; a new one iff `valid[c mod L]` and, with `release`, not before its
 * release cycle), the output ready pattern, per-stream handshake / stall / starve counters and optional
 * traces. Streams are numbered: 0 the graph input, 1..E the edges in the order given, E + 1 the output.
 *
 * The watchdog: a run with no handshake on any stream for `watchdog` cycles stops with BNN046, listing
 * the streams that are full (valid and not ready: a producer waits on a consumer) and those that are
 * starved (ready and not valid: a consumer waits on a producer), by name. See `watchdogBound` for the
 * bound the planner is meant to derive.
 */
import type { Beat, PortSim } from '../blocks/sim-base.js';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import type { Patterns } from './patterns.js';
import { longestZeroRun } from './engine.js';
import type { BeatSource } from './engine.js';

/** Output port `port` of node `node` (as a source) or its input port (as a sink). */
export interface PortRef {
  node: number;
  port: number;
}

export interface GraphEdge {
  /** the name reports use (the planner's stream name, e.g. `res1_bypass`) */
  name: string;
  from: PortRef;
  to: PortRef;
}

export interface SimGraph {
  nodes: PortSim[];
  edges: GraphEdge[];
  /** the node input port the graph input feeds, and the node output port that is the graph output */
  input: PortRef;
  output: PortRef;
}

export interface GraphSimOptions {
  patterns: Patterns;
  /** cycles without a handshake on any stream before the run is stopped with BNN046 (watchdogBound) */
  watchdog: number;
  maxCycles?: number;
  /** earliest cycle in which input beat i may be offered (feeding at the planned rate) */
  release?: (i: number) => number;
  /** record the handshake cycles (and with traceData the beats) of every stream */
  traceStreams?: boolean;
  traceData?: boolean;
  /** nodes whose occupancy is tracked (peakOccupancy, needAtWrite); default none */
  track?: readonly number[];
  onOutput?: (beat: Beat, cycle: number, index: number) => void;
  /** called every cycle with every stream's valid, ready and data (stream order above; for VCD); the arrays are reused */
  onCycle?: (cycle: number, valid: readonly boolean[], ready: readonly boolean[], data: readonly (Beat | null)[]) => void;
}

export interface StreamStats {
  name: string;
  beats: number;
  /** cycles valid and not ready (the consumer holds the producer back) */
  stalls: number;
  /** cycles ready and not valid (the consumer waits for the producer) */
  starves: number;
}

export interface GraphSimResult {
  outBeats: Beat[];
  outCycles: number[];
  inCount: number;
  firstIn: number;
  firstOut: number;
  cycles: number;
  /** stream 0 = input, 1..E = edges, E + 1 = output */
  streams: StreamStats[];
  streamCycles: number[][] | null;
  streamData: Beat[][] | null;
  /** per tracked node: largest occupancy after a clock edge, and largest occupancy + 1 in a cycle in
   * which a beat was offered on its input 0 (the depth a FIFO needs never to refuse a beat) */
  peakOccupancy: Map<number, number>;
  needAtWrite: Map<number, number>;
}

/**
 * The watchdog bound the planner is meant to derive from the plan, as deadlockBound does for a chain:
 * in a working graph some stream moves at least once per `longestSilence` cycles, the longest a node
 * can work without a handshake on any of its ports (at most the slowest node's cycles per frame, e.g.
 * a global accumulator's drain or an MVU's fold), unless the testbench withholds input or output: the
 * longest gap of each pattern is added, and the whole doubled for margin plus a constant 64.
 */
export function watchdogBound(longestSilence: number, patterns: Patterns): number {
  return 64 + 2 * (longestSilence + longestZeroRun(patterns.valid) + longestZeroRun(patterns.ready));
}

/** Every node port wired exactly once (an edge, or the graph input / output), else BNN047. */
function checkWiring(g: SimGraph): void {
  const problems: string[] = [];
  const ins = g.nodes.map((n) => new Array<number>(n.inPorts).fill(0));
  const outs = g.nodes.map((n) => new Array<number>(n.outPorts).fill(0));
  const mark = (t: number[][], r: PortRef, what: string) => {
    const row = t[r.node];
    if (!row || !Number.isInteger(r.port) || r.port < 0 || r.port >= row.length) problems.push(`${what}: no port ${r.port} on node ${r.node}`);
    else row[r.port]!++;
  };
  g.edges.forEach((e) => {
    mark(outs, e.from, `edge ${e.name}`);
    mark(ins, e.to, `edge ${e.name}`);
  });
  mark(ins, g.input, 'graph input');
  mark(outs, g.output, 'graph output');
  const count = (t: number[][], side: string) =>
    t.forEach((row, n) => row.forEach((k, p) => k !== 1 && problems.push(`${g.nodes[n]!.name} ${side} ${p} is wired ${k} times`)));
  count(ins, 'input');
  count(outs, 'output');
  if (problems.length)
    throw new DiagnosticError({ code: 'BNN047', pointer: '', message: `the simulation graph is not wired one to one: ${problems.join('; ')}`, hint: 'every node port needs exactly one edge (or the graph input / output); this is a planner bug' });
}

export function simulateGraph(g: SimGraph, input: BeatSource, nExp: number, o: GraphSimOptions): GraphSimResult {
  checkWiring(g);
  const { nodes, edges } = g;
  const E = edges.length;
  const S = E + 2;
  const names = ['input', ...edges.map((e) => e.name), 'output'];
  // stream endpoints: source (node, port) or -1 for the testbench, sink likewise
  const src: PortRef[] = [{ node: -1, port: 0 }, ...edges.map((e) => e.from), g.output];
  const dst: PortRef[] = [g.input, ...edges.map((e) => e.to), { node: -1, port: 0 }];
  // per node: the stream on each input port and each output port
  const inS = nodes.map((n) => new Array<number>(n.inPorts).fill(-1));
  const outS = nodes.map((n) => new Array<number>(n.outPorts).fill(-1));
  for (let s = 0; s < S; s++) {
    if (src[s]!.node >= 0) outS[src[s]!.node]![src[s]!.port] = s;
    if (dst[s]!.node >= 0) inS[dst[s]!.node]![dst[s]!.port] = s;
  }
  const sv = new Array<boolean>(S).fill(false);
  const sr = new Array<boolean>(S).fill(false);
  const sd = new Array<Beat | null>(S).fill(null);
  const stats: StreamStats[] = names.map((name) => ({ name, beats: 0, stalls: 0, starves: 0 }));
  const streamCycles = o.traceStreams ? names.map(() => [] as number[]) : null;
  const streamData = o.traceStreams && o.traceData ? names.map(() => [] as Beat[]) : null;
  const track = o.track ?? [];
  const occ = new Map<number, number>(track.map((n) => [n, 0]));
  const peak = new Map<number, number>(track.map((n) => [n, 0]));
  const need = new Map<number, number>(track.map((n) => [n, 0]));
  const { valid: vpat, ready: rpat } = o.patterns;
  const maxCycles = o.maxCycles ?? Infinity;
  const outBeats: Beat[] = [];
  const outCycles: number[] = [];
  const nvs = nodes.map((n) => new Array<boolean>(n.inPorts).fill(false));
  const nds = nodes.map((n) => new Array<Beat | null>(n.inPorts).fill(null));
  const nmr = nodes.map((n) => new Array<boolean>(n.outPorts).fill(false));
  let iIn = 0;
  let pending = false;
  let nOut = 0;
  let firstIn = -1;
  let firstOut = -1;
  let lastHs = -1;
  let cycle = 0;
  for (; nOut < nExp && cycle < maxCycles; cycle++) {
    // phase 1: register outputs of every node, the testbench's offer and tready
    const offer = iIn < input.length && (pending || vpat[cycle % vpat.length] === 1) && (!o.release || cycle >= o.release(iIn));
    sv[0] = offer;
    sd[0] = offer ? input.at(iIn)! : null;
    for (let s = 1; s < S; s++) {
      const a = src[s]!;
      const v = nodes[a.node]!.mValid(a.port);
      sv[s] = v;
      sd[s] = v ? nodes[a.node]!.mData(a.port) : null;
    }
    for (let s = 0; s < S - 1; s++) sr[s] = nodes[dst[s]!.node]!.sReady(dst[s]!.port);
    sr[S - 1] = rpat[cycle % rpat.length] === 1;
    // phase 2: handshakes
    let hs = false;
    for (let s = 0; s < S; s++) {
      const st = stats[s]!;
      if (sv[s] && sr[s]) {
        hs = true;
        st.beats++;
        if (streamCycles) streamCycles[s]!.push(cycle);
        if (streamData) streamData[s]!.push(sd[s]!);
      } else if (sv[s]) st.stalls++;
      else if (sr[s]) st.starves++;
    }
    o.onCycle?.(cycle, sv, sr, sd);
    for (const n of track) if (sv[inS[n]![0]!] && occ.get(n)! + 1 > need.get(n)!) need.set(n, occ.get(n)! + 1);
    if (offer) {
      if (sr[0]) {
        if (firstIn < 0) firstIn = cycle;
        iIn++;
        pending = false;
      } else pending = true;
    }
    if (sv[S - 1] && sr[S - 1]) {
      if (firstOut < 0) firstOut = cycle;
      outBeats.push(sd[S - 1]!);
      outCycles.push(cycle);
      o.onOutput?.(sd[S - 1]!, cycle, nOut);
      nOut++;
    }
    // phase 3: clock edge
    nodes.forEach((node, n) => {
      const vs = nvs[n]!;
      const ds = nds[n]!;
      const mr = nmr[n]!;
      inS[n]!.forEach((s, p) => {
        vs[p] = sv[s]!;
        ds[p] = sd[s]!;
      });
      outS[n]!.forEach((s, p) => (mr[p] = sr[s]!));
      node.step(cycle, vs, ds, mr);
    });
    for (const n of track) {
      const c = nodes[n]!.occupancy();
      occ.set(n, c);
      if (c > peak.get(n)!) peak.set(n, c);
    }
    if (hs) lastHs = cycle;
    else if (cycle - lastHs > o.watchdog) watchdogStop(g, names, sv, sr, cycle, o.watchdog, iIn, input.length, nOut, nExp);
  }
  return { outBeats, outCycles, inCount: iIn, firstIn, firstOut, cycles: cycle, streams: stats, streamCycles, streamData, peakOccupancy: peak, needAtWrite: need };
}

/** BNN046: the streams that are full (valid, not ready) and starved (ready, not valid), by name. */
function watchdogStop(g: SimGraph, names: string[], sv: boolean[], sr: boolean[], cycle: number, bound: number, iIn: number, nIn: number, nOut: number, nExp: number): never {
  const full = names.filter((_, s) => sv[s] && !sr[s]);
  const starved = names.filter((_, s) => sr[s] && !sv[s]);
  const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');
  const message = `graph simulation made no progress for ${bound} cycles (deadlock) at cycle ${cycle}: full (valid, not ready): ${list(full)}; starved (ready, not valid): ${list(starved)}`;
  const notes = [
    `stream states: ${names.map((n, s) => `${n}: valid=${sv[s] ? 1 : 0} ready=${sr[s] ? 1 : 0}`).join(', ')}`,
    `node occupancy: ${g.nodes.map((n) => `${n.name} ${n.occupancy()}`).join(', ')}`,
    `${iIn} of ${nIn} input beats accepted, ${nOut} of ${nExp} output beats delivered`,
  ];
  const hint = full.some((n) => n !== 'output')
    ? 'a branch waits for its sibling: a bypass FIFO shallower than the long branch needs before its first output (size it with sizeBypassFifos), or a model / RTL bug'
    : full.includes('output')
      ? 'the output ready pattern withholds tready'
      : iIn < nIn
        ? 'the input valid pattern withholds tvalid'
        : 'every input beat was consumed but the graph produced fewer output beats than expected';
  throw new GraphDeadlock({ code: 'BNN046', pointer: '', message, hint, notes }, { bound, cycle, full, starved });
}

/** What the watchdog saw when it stopped a run: the bound, the cycle, the full and the starved streams. */
export interface DeadlockReport {
  bound: number;
  cycle: number;
  full: string[];
  starved: string[];
}

/** BNN046 with its report as data (verify compares it with the RTL testbench's). */
export class GraphDeadlock extends DiagnosticError {
  constructor(
    d: ConstructorParameters<typeof DiagnosticError>[0],
    readonly report: DeadlockReport,
  ) {
    super(d);
  }
}
