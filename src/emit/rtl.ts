/**
 * Plan -> Verilog: one wrapper module per layer (its input width converter and FIFO, the compute
 * block and its ROMs), and a top level chaining the wrappers. Both are the same generic module
 * template filled with instance data computed here.
 */
import type { HwBlock } from '../blocks/types.js';
import { byteWidth } from '../blocks/types.js';
import type { Instance, Wire, WrapperParts } from '../blocks/kind.js';
import { kindOf, type Registry } from '../blocks/registry.js';
import type { HwPlan } from '../passes/plan.js';
import { groupStreams, type Group } from '../passes/layers.js';
import type { StreamInfo } from '../passes/streams.js';
import { NameSet, memFile, type RomName } from '../util/names.js';
import { render } from './handlebars.js';

export type { Instance, Param, Wire } from '../blocks/kind.js';

export interface ModuleData {
  module: string;
  title: string;
  doc: string[];
  inMsb: number;
  outMsb: number;
  wires: Wire[];
  assigns: { lhs: string; rhs: string }[];
  instances: Instance[];
}

export const memPath = (file: string) => `mem/${file}`;
/** The image file (relative to mem/) of ROM `rom` of a group's wrapper. */
export const romFile = (g: Group, rom: RomName) => memFile(g.module, rom);

function stream(prefix: string) {
  return (dir: 's' | 'm', sig: string) => ({ port: `${dir}_axis_${sig}`, signal: `${prefix}_${sig}` });
}
const clkRst = [
  { port: 'clk', signal: 'clk' },
  { port: 'rst_n', signal: 'rst_n' },
];
const streamPorts = (inP: string, outP: string) => [
  stream(inP)('s', 'tdata'), stream(inP)('s', 'tvalid'), stream(inP)('s', 'tready'),
  stream(outP)('m', 'tdata'), stream(outP)('m', 'tvalid'), stream(outP)('m', 'tready'),
];
const streamWires = (p: string, w: number): Wire[] => [
  { name: `${p}_tdata`, msb: w - 1 },
  { name: `${p}_tvalid`, msb: 0 },
  { name: `${p}_tready`, msb: 0 },
];

export function blockComment(b: HwBlock, cycles: number | null, registry?: Registry): string {
  return kindOf(b, registry).comment(b, cycles);
}

/**
 * Wrapper module data for one group: per block its wires, ROMs and assigns, then its instance. The
 * streams between its blocks are named as the plan names them (plan.streams: groupStreams).
 */
export function groupModule(g: Group, streams: readonly StreamInfo[], cycles: number | null, registry?: Registry): ModuleData {
  const wires: Wire[] = [];
  const instances: Instance[] = [];
  const assigns: ModuleData['assigns'] = [];
  const rom = (r: RomName) => memPath(romFile(g, r));
  const own = groupStreams(streams, g);
  let cur = 's_axis';
  g.members.forEach(({ block: b, module, inst }, i) => {
    const k = kindOf(b, registry);
    const out = own[i + 1]!;
    const next = i === g.members.length - 1 ? 'm_axis' : out.prefix;
    if (next !== 'm_axis') wires.push(...streamWires(next, out.width));
    const parts: WrapperParts = k.wrapper(b, rom);
    wires.push(...parts.wires);
    instances.push(...parts.instances);
    assigns.push(...parts.assigns);
    instances.push({
      comment: k.comment(b, k.role === 'compute' ? cycles : null), module, inst,
      params: k.params(b, rom), ports: [...clkRst, ...streamPorts(cur, next), ...parts.ports],
    });
    cur = next;
  });
  return {
    module: g.module,
    title: kindOf(g.compute, registry).unit === 'layer' ? `layer wrapper for "${g.name}"` : `output stage "${g.name}"`,
    doc: [],
    inMsb: g.inWidth - 1,
    outMsb: g.outWidth - 1,
    wires,
    assigns,
    instances,
  };
}

/**
 * The top level: the plan's layers chained by its top-level streams (plan.streams). `pad`: tdata
 * padded to whole bytes (a design's top); a graph's segment top is not (its streams are the graph's
 * edges).
 */
export function topModule(plan: HwPlan, doc: string[], cycles: (g: Group) => number | null, registry?: Registry, pad = true): ModuleData {
  const gs = plan.layers;
  const input = plan.streams[0]!;
  const output = plan.streams[plan.streams.length - 1]!;
  const inW = input.width;
  const outW = output.width;
  const inPad = pad ? byteWidth(inW) : inW;
  const outPad = pad ? byteWidth(outW) : outW;
  const wires: Wire[] = [];
  const assigns: ModuleData['assigns'] = [];
  const instances: Instance[] = [];
  const i0 = input.prefix;
  wires.push(...streamWires(i0, inW));
  assigns.push({ lhs: `${i0}_tdata`, rhs: `s_axis_tdata[${inW - 1}:0]` }, { lhs: `${i0}_tvalid`, rhs: 's_axis_tvalid' }, { lhs: 's_axis_tready', rhs: `${i0}_tready` });
  if (inPad > inW) {
    wires.push({ name: 'unused_pad', msb: 0 });
    assigns.push({ lhs: 'unused_pad', rhs: `|s_axis_tdata[${inPad - 1}:${inW}]` });
  }
  for (const g of gs) {
    const own = groupStreams(plan.streams, g);
    const o = own[own.length - 1]!;
    wires.push(...streamWires(o.prefix, o.width));
    instances.push({
      comment: `${g.blocks.map((b) => blockComment(b, cycles(g), registry)).join('; ')}`,
      module: g.module, inst: g.inst, params: [],
      ports: [...clkRst, ...streamPorts(own[0]!.prefix, o.prefix)],
    });
  }
  const last = output.prefix;
  assigns.push(
    { lhs: 'm_axis_tdata', rhs: outPad > outW ? `{${outPad - outW}'d0, ${last}_tdata}` : `${last}_tdata` },
    { lhs: 'm_axis_tvalid', rhs: `${last}_tvalid` },
    { lhs: `${last}_tready`, rhs: 'm_axis_tready' },
  );
  return { module: plan.top, title: `streaming BNN accelerator for model "${plan.name}"`, doc, inMsb: inPad - 1, outMsb: outPad - 1, wires, assigns, instances };
}

const PORTS = ['clk', 'rst_n', ...['s_axis', 'm_axis'].flatMap((p) => ['tdata', 'tvalid', 'tready'].map((x) => `${p}_${x}`))];

export function renderModule(m: ModuleData, meta: { version: string; modelName: string; modelHash: string }): string {
  const names = new NameSet(`port, wire or instance name in ${m.module}`);
  for (const n of [...PORTS, ...m.wires.map((w) => w.name), ...m.instances.map((i) => i.inst)]) names.add(n);
  return render('rtl/module.v.hbs', { ...m, ...meta });
}
