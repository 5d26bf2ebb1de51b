/**
 * emit for a residual graph (passes/graph-types.ts: GraphHwPlan): per segment its layer wrappers and
 * ROM images exactly as the chain emitter makes them plus the segment's top (the chain top, named
 * `<top>_<segment>`), and the graph top `<top>` with the chain top's ports (byte-padded s_axis /
 * m_axis tdata) holding the segment tops, the port blocks (bnn_dup's vector ports: one slice per
 * branch) and the edge blocks (bypass FIFO, width converter, window sum: generic through the block
 * registry), joined by wires named after the plan's edges. Names: graph-types.ts (segmentInstance ...),
 * shared with the cycle model (sim/graph-sim.ts) and the testbench.
 */
import type { HwBlock } from '../blocks/types.js';
import { byteWidth, streamWidth } from '../blocks/types.js';
import type { Instance, Wire } from '../blocks/kind.js';
import { kindOf } from '../blocks/registry.js';
import { portKindOf } from '../blocks/port-registry.js';
import type { StreamPort } from '../blocks/port-kind.js';
import type { Model } from '../ir/model.js';
import type { Timing } from '../passes/plan.js';
import { groupCycles } from '../passes/layers.js';
import { graphBlockInstance, nodeName, segmentInstance, segmentModule, segmentStream, type GraphHwPlan, type GraphNode, type NodePort } from '../passes/graph-types.js';
import { VERSION } from '../util/version.js';
import { TESTBENCH_FILE, libraryModule, rtlFile } from '../util/names.js';
import { DesignFiles, modelHash, testbench, usedLibrary, type TbStream } from './design.js';
import { groupModule, memPath, renderModule, romFile, topModule, type ModuleData } from './rtl.js';

/** Signal prefixes of the graph top's input and output streams (wires `<prefix>_t*`). */
const IN = 'graph_in';
const OUT = 'graph_out';

/** The streams of a node's ports: Verilog port prefix, vector index and width, per input and output port. */
function nodeStreams(n: GraphNode): { inputs: StreamPort[]; outputs: StreamPort[] } {
  if (n.kind === 'port') {
    const k = portKindOf(n.block);
    return { inputs: k.inputs(n.block), outputs: k.outputs(n.block) };
  }
  const io = (w: number): StreamPort[] => [{ prefix: '', index: null, width: w }];
  if (n.kind === 'segment') {
    const ss = n.plan.streams;
    return { inputs: io(ss[0]!.width), outputs: io(ss[ss.length - 1]!.width) };
  }
  const k = kindOf(n.block as HwBlock);
  return { inputs: io(k.inWidth(n.block as HwBlock)), outputs: io(k.outWidth(n.block as HwBlock)) };
}

/** Port connections of one node: per Verilog port prefix the streams on it (a vector port: by index). */
function connect(prefix: string, sigs: { index: number | null; sig: string }[], input: boolean) {
  const pre = (p: string) => `${prefix === '' ? (input ? 's_axis' : 'm_axis') : prefix}_${p}`;
  // a vector port: index k in bits [k*width +: width] and bit k; Verilog concatenation lists the highest first
  const cat = (suffix: string) => {
    if (sigs.length === 1 && sigs[0]!.index === null) return `${sigs[0]!.sig}_${suffix}`;
    const sorted = [...sigs].sort((a, b) => b.index! - a.index!);
    return `{${sorted.map((s) => `${s.sig}_${suffix}`).join(', ')}}`;
  };
  return ['tdata', 'tvalid', 'tready'].map((p) => ({ port: pre(p), signal: cat(p) }));
}

/** The graph top: wires per plan edge, the input and output streams, one instance per node. */
export function graphTopModule(g: GraphHwPlan, doc: string[]): ModuleData {
  const inW = streamWidth(g.input.format);
  const outW = streamWidth(g.output.format);
  const inPad = byteWidth(inW);
  const outPad = byteWidth(outW);
  const wires: Wire[] = [];
  const assigns: ModuleData['assigns'] = [];
  const instances: Instance[] = [];
  const streamWires = (p: string, w: number): Wire[] => [{ name: `${p}_tdata`, msb: w - 1 }, { name: `${p}_tvalid`, msb: 0 }, { name: `${p}_tready`, msb: 0 }];
  wires.push(...streamWires(IN, inW));
  assigns.push({ lhs: `${IN}_tdata`, rhs: `s_axis_tdata[${inW - 1}:0]` }, { lhs: `${IN}_tvalid`, rhs: 's_axis_tvalid' }, { lhs: 's_axis_tready', rhs: `${IN}_tready` });
  if (inPad > inW) {
    wires.push({ name: 'unused_pad', msb: 0 });
    assigns.push({ lhs: 'unused_pad', rhs: `|s_axis_tdata[${inPad - 1}:${inW}]` });
  }
  for (const e of g.edges) wires.push(...streamWires(e.name, streamWidth(e.format)));
  wires.push(...streamWires(OUT, outW));
  // per node port: the signal prefix of the stream on it
  const key = (p: NodePort, side: 'in' | 'out') => `${side}:${p.node}:${p.port}`;
  const on = new Map<string, string>([[key(g.input, 'in'), IN], [key(g.output, 'out'), OUT]]);
  for (const e of g.edges) {
    on.set(key(e.from, 'out'), e.name);
    on.set(key(e.to, 'in'), e.name);
  }
  g.nodes.forEach((n, i) => {
    const { inputs, outputs } = nodeStreams(n);
    const ports: Instance['ports'] = [{ port: 'clk', signal: 'clk' }, { port: 'rst_n', signal: 'rst_n' }];
    for (const [side, list] of [['in', inputs], ['out', outputs]] as const) {
      const byPrefix = new Map<string, { index: number | null; sig: string }[]>();
      list.forEach((s, port) => {
        const sig = on.get(key({ node: i, port }, side));
        if (sig === undefined) throw new Error(`internal: ${side === 'in' ? 'input' : 'output'} port ${port} of node ${nodeName(n)} is not wired`);
        byPrefix.set(s.prefix, [...(byPrefix.get(s.prefix) ?? []), { index: s.index, sig }]);
      });
      for (const [prefix, sigs] of byPrefix) ports.push(...connect(prefix, sigs, side === 'in'));
    }
    if (n.kind === 'segment') {
      instances.push({ comment: `segment "${n.name}": ${n.plan.layers.map((l) => l.name).join(' -> ')}`, module: segmentModule(g.top, n.name), inst: segmentInstance(n.name), params: [], ports });
    } else if (n.kind === 'port') {
      const k = portKindOf(n.block);
      instances.push({ comment: k.comment(n.block), module: libraryModule(n.block.kind), inst: graphBlockInstance(n.block.name), params: k.params(n.block), ports });
    } else {
      const b = n.block as HwBlock;
      const k = kindOf(b);
      const inst = graphBlockInstance(b.name);
      const noRom = () => {
        throw new Error(`internal: edge block ${b.name} has a ROM`);
      };
      // the wrapper's own wires (e.g. a FIFO's unused count) are fixed words: prefixed with the instance
      const parts = k.wrapper(b, noRom);
      const own = new Map(parts.wires.map((w) => [w.name, `${inst}_${w.name}`]));
      const rename = (t: string) => t.replace(/\b[A-Za-z_][A-Za-z0-9_]*\b/g, (w) => own.get(w) ?? w);
      wires.push(...parts.wires.map((w) => ({ ...w, name: own.get(w.name)! })));
      assigns.push(...parts.assigns.map((a) => ({ lhs: rename(a.lhs), rhs: rename(a.rhs) })));
      if (parts.instances.length) throw new Error(`internal: edge block ${b.name} needs instances of its own`);
      instances.push({
        comment: `${n.role} "${b.name}": ${k.comment(b, null)}`, module: libraryModule(b.kind), inst, params: k.params(b, noRom),
        ports: [...ports, ...parts.ports.map((p) => ({ port: p.port, signal: rename(p.signal) }))],
      });
    }
  });
  assigns.push(
    { lhs: 'm_axis_tdata', rhs: outPad > outW ? `{${outPad - outW}'d0, ${OUT}_tdata}` : `${OUT}_tdata` },
    { lhs: 'm_axis_tvalid', rhs: `${OUT}_tvalid` },
    { lhs: `${OUT}_tready`, rhs: 'm_axis_tready' },
  );
  return { module: g.top, title: `streaming BNN accelerator for the graph model "${g.name}"`, doc, inMsb: inPad - 1, outMsb: outPad - 1, wires, assigns, instances };
}

/**
 * The streams the graph testbench traces and watches, named as the cycle model names them
 * (sim/graph-sim.ts): `input`, every segment's inner streams, the plan's edges, `output`.
 */
export function graphTbStreams(g: GraphHwPlan): TbStream[] {
  const out: TbStream[] = [{ path: 'input', sig: `dut.${IN}` }];
  for (const n of g.nodes) {
    if (n.kind !== 'segment') continue;
    const ss = n.plan.streams;
    for (let i = 1; i < ss.length - 1; i++) {
      const path = segmentStream(n.name, ss[i]!.path);
      out.push({ path, sig: `dut.${path}` });
    }
  }
  for (const e of g.edges) out.push({ path: e.name, sig: `dut.${e.name}` });
  out.push({ path: 'output', sig: `dut.${OUT}` });
  return out;
}

/** The Verilog files of a graph design: library, per segment wrappers + ROMs + segment top, graph top, testbench, flows/sources.f. */
export function emitGraphRtl(model: Model, g: GraphHwPlan, timing: Timing): DesignFiles {
  const own = new DesignFiles();
  const meta = { version: VERSION, modelName: g.name, modelHash: modelHash(model).slice(0, 16) };
  const scopes: string[] = [];
  for (const n of g.nodes) {
    if (n.kind !== 'segment') continue;
    const p = n.plan;
    const cycles = (l: (typeof p.layers)[number]) => groupCycles(l);
    for (const l of p.layers) {
      const m = groupModule(l, p.streams, cycles(l));
      own.set(rtlFile(m.module), renderModule(m, meta));
      for (const b of l.blocks) for (const mem of kindOf(b).memories(b)) own.set(memPath(romFile(l, mem.rom)), mem.image());
    }
    const seg = topModule({ ...p, top: segmentModule(g.top, n.name) }, [`Segment "${n.name}" of the graph top ${g.top}: ${p.cyclesPerFrame} cycles per frame; tdata not padded.`], cycles, undefined, false);
    own.set(rtlFile(seg.module), renderModule({ ...seg, title: `segment "${n.name}" of graph "${g.name}"` }, meta));
    const inst = segmentInstance(n.name);
    scopes.push(inst, ...p.layers.map((l) => `${inst}.${l.inst}`));
  }
  const f = (s: { lanes: number; laneW: number; signed: boolean; beats: number }) => `${s.beats} beats per frame of ${s.lanes} x ${s.laneW}-bit ${s.signed ? 'signed' : 'unsigned'} elements`;
  const doc = [
    `Input stream: ${f(g.input.format)} (element k in bits [k*${g.input.format.laneW} +: ${g.input.format.laneW}]).`,
    g.output.format.kind === 'argmax' ? 'Output stream: one beat per frame, the class index (ties to the lowest index).' : `Output stream: ${f(g.output.format)} (integer scores).`,
    `Steady state: ${timing.cyclesPerFrame} cycles per frame; first-output latency ${timing.latencyCycles} cycles.`,
    ...g.bypass.map((b) => `Bypass FIFO ${nodeName(g.nodes[b.node]!)} before add ${b.add}: depth ${b.depth} (${b.origin}).`),
  ];
  own.set(rtlFile(g.top), renderModule(graphTopModule(g, doc), meta));
  const files = new DesignFiles();
  const modules = [...own].filter(([p]) => p.startsWith('rtl/')).map(([, body]) => body as string);
  for (const [name, body] of usedLibrary(modules)) files.set(`rtl/${name}.v`, body);
  for (const [p, body] of own) files.set(p, body);
  const inW = byteWidth(streamWidth(g.input.format));
  const outW = byteWidth(streamWidth(g.output.format));
  files.set(TESTBENCH_FILE, testbench(g.top, inW, outW, graphTbStreams(g), scopes));
  const rtl = [...files.keys()].filter((p) => p.startsWith('rtl/')).sort();
  files.set('flows/sources.f', rtl.join('\n') + '\n');
  return files;
}
