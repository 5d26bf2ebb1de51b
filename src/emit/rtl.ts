/**
 * Plan -> Verilog: one wrapper module per layer (its input width converter and FIFO, the compute
 * block and its ROMs), and a top level chaining the wrappers. Both are the same generic module
 * template filled with instance data computed here.
 */
import type { ComputeBlock, HwBlock, SwgBlock } from '../blocks/types.js';
import { byteWidth } from '../blocks/types.js';
import type { HwPlan } from '../passes/plan.js';
import { outWidth, type Group } from '../passes/layers.js';
import { clog2 } from '../util/math.js';
import { NameSet, blockInstance, layerUnit, libraryModule, memFile, stageUnit, unitInstance, unitModule, type RomName } from '../util/names.js';
import { render } from './handlebars.js';
import { mvtuStructureParams, mvuIntStructureParams } from '../blocks/popcount-plan.js';

export interface Param {
  name: string;
  value: string | number;
}
export interface Instance {
  comment: string;
  module: string;
  inst: string;
  params: Param[];
  ports: { port: string; signal: string }[];
}
export interface Wire {
  name: string;
  msb: number;
}
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

const q = (s: string) => `"${s}"`;
const aw = (depth: number) => Math.max(1, clog2(depth));

export const memPath = (file: string) => `mem/${file}`;
/** The image file (relative to mem/) of ROM `rom` of a group's wrapper. */
export const romFile = (g: Group, rom: RomName) => memFile(g.module, rom);
export const rankRom = (lane: number): RomName => `rank${lane}`;

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

function romInstance(inst: string, comment: string, width: number, depth: number, file: string, en: string, addr: string, q_: string): Instance {
  return {
    comment, module: 'bnn_rom', inst,
    params: [{ name: 'WIDTH', value: width }, { name: 'DEPTH', value: depth }, { name: 'FILE', value: q(memPath(file)) }],
    ports: [{ port: 'clk', signal: 'clk' }, { port: 'en', signal: en }, { port: 'addr', signal: addr }, { port: 'q', signal: q_ }],
  };
}

/** A Verilog sized literal of the bits (bit i = v[i]), in hex. */
export function bitVector(v: readonly number[]): string {
  let hex = '';
  for (let d = Math.ceil(v.length / 4) - 1; d >= 0; d--) {
    let x = 0;
    for (let b = 0; b < 4; b++) if (v[d * 4 + b]) x |= 1 << b;
    hex += x.toString(16);
  }
  return `${v.length}'h${hex}`;
}

export function swgParams(b: SwgBlock): Param[] {
  return Object.entries(b.params).map(([name, value]) => ({ name, value: value as number }));
}

function computeParams(g: Group, b: ComputeBlock): Param[] {
  switch (b.kind) {
    case 'thresh_in':
      return [
        { name: 'PE', value: b.pe }, { name: 'IN_W', value: b.inW }, { name: 'IN_SIGNED', value: b.signed ? 1 : 0 },
        { name: 'TDEPTH', value: b.tdepth }, { name: 'TW', value: b.tw }, { name: 'OBUF_DEPTH', value: b.obufDepth },
        { name: 'TFILE', value: q(memPath(romFile(g, 'thresholds'))) },
      ];
    case 'mvtu':
    case 'mvu_int':
      return [
        { name: 'MW', value: b.stage.mw }, { name: 'MH', value: b.stage.mh }, { name: 'PE', value: b.pe }, { name: 'SIMD', value: b.simd },
        ...(b.kind === 'mvu_int' ? [{ name: 'IN_W', value: b.inW }, { name: 'IN_SIGNED', value: b.signed ? 1 : 0 }] : []),
        { name: 'POP_STAGES', value: b.popStages }, { name: 'SCORES', value: b.scores ? 1 : 0 }, { name: 'ACC_W', value: b.accW },
        { name: 'TW', value: b.tw }, { name: 'OBUF_DEPTH', value: b.obufDepth },
        ...(b.kind === 'mvtu' && b.masked ? [{ name: 'MASKED', value: 1 }] : []),
        ...(b.kind === 'mvtu' ? mvtuStructureParams(b.simd, b.nf, b.sf, b.popStages) : mvuIntStructureParams(b.simd, b.popStages)),
      ];
    case 'pool':
      return [
        ...(['C', 'PE', 'H', 'W', 'KH', 'KW', 'SH', 'SW'] as const).map((k) => ({ name: k, value: b.params[k] })),
        { name: 'AND_MASK', value: bitVector(b.params.AND_MASK) },
      ];
    case 'argmax': {
      const r = b.rank;
      return [
        { name: 'PE', value: b.pe }, { name: 'NF', value: b.nf }, { name: 'SCORE_W', value: b.scoreW }, { name: 'CLASSES', value: b.classes },
        { name: 'IDX_W', value: b.idxW }, { name: 'RANK', value: r ? 1 : 0 }, { name: 'RANK_W', value: r ? r.rankW : 1 },
        { name: 'NVALS', value: r ? r.nvals : 1 }, { name: 'SHIFT', value: r ? r.shift : 0 }, { name: 'SCORE_MIN', value: r ? r.scoreMin : 0 },
        { name: 'OBUF_DEPTH', value: b.obufDepth },
      ];
    }
  }
}

export function blockComment(b: HwBlock, cycles: number | null): string {
  switch (b.kind) {
    case 'thresh_in':
      return `input binarisation "${b.name}": ${b.pe} elements/beat, ${b.stage.period} threshold classes`;
    case 'mvtu':
    case 'mvu_int':
      return `layer "${b.name}" (${b.stage.kind}, ${b.kind === 'mvtu' ? 'XNOR-popcount' : `${b.inW}-bit add/subtract`}): MW=${b.stage.mw} MH=${b.stage.mh} PE=${b.pe} SIMD=${b.simd}, ${cycles} cycles/frame${b.scores ? ', integer scores out' : ''}`;
    case 'argmax':
      return `argmax over ${b.classes} classes (${b.pe} per beat, ${b.nf} beats), ties to the lowest index${b.rank ? ', exact rank tables for the trailing affine' : ''}`;
    case 'dwc':
      return `width converter ${b.inW} -> ${b.outW} bits`;
    case 'fifo':
      return `FIFO ${b.depth} x ${b.width} bits`;
    case 'swg': {
      const p = b.params;
      return `sliding window ${p.KH}x${p.KW} stride ${p.SH}x${p.SW} over ${p.H}x${p.W}x${p.C}, ${p.SIMD} channels/beat, padding ${p.PAD_T},${p.PAD_B},${p.PAD_L},${p.PAD_R} ${p.PAD_MODE ? '(masked: true zero)' : `(value ${p.PAD_ELEM})`}`;
    }
    case 'pool': {
      const p = b.params;
      const ands = p.AND_MASK.filter((x) => x).length;
      return `max-pool "${b.name}" ${p.KH}x${p.KW} stride ${p.SH}x${p.SW} over ${p.H}x${p.W}x${p.C}, ${p.PE} channels/beat, OR on ${p.C - ands} channels, AND on ${ands}`;
    }
  }
}

/** Wrapper module data for one group. */
export function groupModule(g: Group, cycles: number | null): ModuleData {
  const wires: Wire[] = [];
  const instances: Instance[] = [];
  const assigns: ModuleData['assigns'] = [];
  let cur = 's_axis';
  g.blocks.forEach((b, i) => {
    const last = i === g.blocks.length - 1;
    const next = last ? 'm_axis' : `st${i}`;
    if (!last) wires.push(...streamWires(next, outWidth(b)));
    const ports = [...clkRst, ...streamPorts(cur, next)];
    if (b.kind === 'dwc') {
      instances.push({ comment: blockComment(b, null), module: libraryModule('dwc'), inst: blockInstance('dwc'), params: [{ name: 'IN_W', value: b.inW }, { name: 'OUT_W', value: b.outW }], ports });
    } else if (b.kind === 'swg') {
      instances.push({ comment: blockComment(b, null), module: libraryModule('swg'), inst: blockInstance('swg'), params: swgParams(b), ports });
    } else if (b.kind === 'fifo') {
      wires.push({ name: 'unused_fifo_count', msb: clog2(b.depth + 1) - 1 });
      instances.push({
        comment: blockComment(b, null), module: libraryModule('fifo'), inst: blockInstance('fifo'),
        params: [{ name: 'WIDTH', value: b.width }, { name: 'DEPTH', value: b.depth }],
        ports: [...ports, { port: 'count', signal: 'unused_fifo_count' }],
      });
    } else {
      const extra: { port: string; signal: string }[] = [];
      if (b.kind === 'mvtu' || b.kind === 'mvu_int') {
        const depthW = b.nf * b.sf;
        wires.push({ name: 'w_en', msb: 0 }, { name: 'w_addr', msb: aw(depthW) - 1 }, { name: 'w_data', msb: b.pe * b.simd - 1 });
        wires.push({ name: 't_en', msb: 0 }, { name: 't_addr', msb: aw(b.nf) - 1 }, { name: 't_data', msb: b.pe * b.tw - 1 });
        extra.push(...['w_en', 'w_addr', 'w_data', 't_en', 't_addr', 't_data'].map((s) => ({ port: s, signal: s })));
        instances.push(romInstance(blockInstance('weights'), `weights: ${depthW} words of PE*SIMD = ${b.pe * b.simd} bits`, b.pe * b.simd, depthW, romFile(g, 'weights'), 'w_en', 'w_addr', 'w_data'));
        if (b.scores) assigns.push({ lhs: 't_data', rhs: `{${b.pe * b.tw}{1'b0}}` });
        else instances.push(romInstance(blockInstance('thresholds'), `thresholds: ${b.nf} words of PE*TW = ${b.pe * b.tw} bits`, b.pe * b.tw, b.nf, romFile(g, 'thresholds'), 't_en', 't_addr', 't_data'));
        if (b.scores) wires.push({ name: 'unused_t', msb: 0 }), assigns.push({ lhs: 'unused_t', rhs: `t_en | (|t_addr)` });
      } else if (b.kind === 'argmax') {
        const r = b.rank;
        const depth = r ? b.nf * r.nvals : 1;
        const a = aw(depth);
        const rw = r ? r.rankW : 1;
        wires.push({ name: 'r_en', msb: 0 }, { name: 'r_addr', msb: b.pe * a - 1 }, { name: 'r_data', msb: b.pe * rw - 1 });
        extra.push(...['r_en', 'r_addr', 'r_data'].map((s) => ({ port: s, signal: s })));
        if (r) {
          for (let k = 0; k < b.pe; k++) {
            instances.push(romInstance(blockInstance(rankRom(k)), `rank table of lane ${k}: ${depth} words`, rw, depth, romFile(g, rankRom(k)), 'r_en', `r_addr[${(k + 1) * a - 1}:${k * a}]`, `r_data[${(k + 1) * rw - 1}:${k * rw}]`));
          }
        } else {
          assigns.push({ lhs: 'r_data', rhs: `{${b.pe * rw}{1'b0}}` });
          wires.push({ name: 'unused_r', msb: 0 });
          assigns.push({ lhs: 'unused_r', rhs: `r_en | (|r_addr)` });
        }
      }
      instances.push({ comment: blockComment(b, cycles), module: libraryModule(b.kind), inst: blockInstance(b.kind), params: computeParams(g, b), ports: [...ports, ...extra] });
    }
    cur = next;
  });
  return {
    module: g.module,
    title: g.compute.kind === 'argmax' ? `output stage "${g.name}"` : `layer wrapper for "${g.name}"`,
    doc: [],
    inMsb: g.inWidth - 1,
    outMsb: g.outWidth - 1,
    wires,
    assigns,
    instances,
  };
}

export function topModule(plan: HwPlan, gs: Group[], doc: string[], cycles: (g: Group) => number | null): ModuleData {
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
      comment: `${g.blocks.map((b) => blockComment(b, cycles(g))).join('; ')}`,
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
