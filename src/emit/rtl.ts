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
import { outWidth, type Group } from '../passes/layers.js';
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

/** Wrapper module data for one group: per block its wires, ROMs and assigns, then its instance. */
export function groupModule(g: Group, cycles: number | null, registry?: Registry): ModuleData {
  const wires: Wire[] = [];
  const instances: Instance[] = [];
  const assigns: ModuleData['assigns'] = [];
  const rom = (r: RomName) => memPath(romFile(g, r));
  let cur = 's_axis';
  g.members.forEach(({ block: b, module, inst }, i) => {
    const k = kindOf(b, registry);
    const last = i === g.members.length - 1;
    const next = last ? 'm_axis' : `st${i}`;
    if (!last) wires.push(...streamWires(next, outWidth(b, registry)));
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

export function topModule(plan: HwPlan, gs: Group[], doc: string[], cycles: (g: Group) => number | null, registry?: Registry): ModuleData {
  const inW = gs[0]!.inWidth;
  const outW = gs[gs.length - 1]!.outWidth;
  const inPad = byteWidth(inW);
  const outPad = byteWidth(outW);
  const wires: Wire[] = [];
  const assigns: ModuleData['assigns'] = [];
  const instances: Instance[] = [];
  wires.push(...streamWires('s0', inW));
  assigns.push({ lhs: 's0_tdata', rhs: `s_axis_tdata[${inW - 1}:0]` }, { lhs: 's0_tvalid', rhs: 's_axis_tvalid' }, { lhs: 's_axis_tready', rhs: 's0_tready' });
  if (inPad > inW) {
    wires.push({ name: 'unused_pad', msb: 0 });
    assigns.push({ lhs: 'unused_pad', rhs: `|s_axis_tdata[${inPad - 1}:${inW}]` });
  }
  gs.forEach((g, i) => {
    const o = `s${i + 1}`;
    wires.push(...streamWires(o, g.outWidth));
    instances.push({
      comment: `${g.blocks.map((b) => blockComment(b, cycles(g), registry)).join('; ')}`,
      module: g.module, inst: g.inst, params: [],
      ports: [...clkRst, ...streamPorts(`s${i}`, o)],
    });
  });
  const last = `s${gs.length}`;
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
