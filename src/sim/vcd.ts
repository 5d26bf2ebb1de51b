/**
 * VCD output of the cycle-accurate simulator: the stream signals (tvalid, tready, tdata) of the
 * design with the names and hierarchy of the RTL testbench's dump (`tb`, `tb.dut`, `tb.dut.u_layer_<layer>` / `tb.dut.u_argmax`;
 * the testbench writes the same variables with `+vcd=<file> +vcd_streams`), on the testbench's time
 * base: 1 ps resolution, a 10 ns clock whose rising edges are at 5 ns + 10 ns * k, reset released
 * at the falling edge at 40 ns, so that cycle c ends at the rising edge at 45 ns + 10 ns * c and the
 * registered outputs of cycle c change at the edge before it. GTKWave opens the file as it is.
 *
 * Data: tdata is defined only in cycles in which tvalid is 1. The file shows 'x' until a stream's
 * first beat and then holds the last valid beat (the RTL shows whatever its registers hold), so a
 * comparison looks at tdata only where tvalid is 1.
 *
 * The file is written as the simulation runs, in chunks: memory does not grow with the run length.
 */
import { type FileSink, openFileOutput } from '../util/output-file.js';
import type { HwPlan } from '../passes/plan.js';
import { byteWidth } from '../blocks/types.js';
import { VERSION } from '../util/version.js';
import type { Beat } from '../blocks/sim-base.js';
import { beatValue, laneWidth } from './streams.js';

export const VCD_HALF_PERIOD_PS = 5000;
/** time of the rising edge that ends cycle c */
export const edgeTime = (c: number): number => 45000 + 10000 * c;
export const RESET_RELEASE_PS = 40000;

interface Net {
  id: string;
  width: number;
  last: string | null;
}
interface VarDecl {
  name: string;
  net: Net;
}

function idCode(k: number): string {
  let s = '';
  do {
    s += String.fromCharCode(33 + (k % 94));
    k = Math.floor(k / 94);
  } while (k > 0);
  return s;
}

/** A variable of the dump: the clock, the reset, or one signal of stream `stream` (engine order). */
export type VcdVar =
  | { scope: string; name: string; signal: 'clk' }
  | { scope: string; name: string; signal: 'rst' }
  | { scope: string; name: string; signal: 'tvalid'; stream: number }
  | { scope: string; name: string; signal: 'tready'; stream: number }
  | { scope: string; name: string; signal: 'tdata'; stream: number; width: number };

/** What a dump holds: the tdata width of every stream (engine order) and the variables, in declaration order. */
export interface VcdLayout {
  widths: number[];
  vars: VcdVar[];
}

/** The testbench scope (`tb`: clock, reset, s_* / m_* of input stream 0 and output stream `out`) and `clk` / `rst_n` of a scope. */
function tbVars(inPad: number, out: number, outPad: number): VcdVar[] {
  return [
    { scope: 'tb', name: 'clk', signal: 'clk' }, { scope: 'tb', name: 'rst_n', signal: 'rst' },
    { scope: 'tb', name: 's_tdata', signal: 'tdata', stream: 0, width: inPad }, { scope: 'tb', name: 's_tvalid', signal: 'tvalid', stream: 0 }, { scope: 'tb', name: 's_tready', signal: 'tready', stream: 0 },
    { scope: 'tb', name: 'm_tdata', signal: 'tdata', stream: out, width: outPad }, { scope: 'tb', name: 'm_tvalid', signal: 'tvalid', stream: out }, { scope: 'tb', name: 'm_tready', signal: 'tready', stream: out },
  ];
}
const clockVars = (scope: string): VcdVar[] => [{ scope, name: 'clk', signal: 'clk' }, { scope, name: 'rst_n', signal: 'rst' }];
/** `<prefix>_tdata / _tvalid / _tready` of a stream in a scope. */
export const streamVars = (scope: string, prefix: string, stream: number, width: number): VcdVar[] => [
  { scope, name: `${prefix}_tdata`, signal: 'tdata', stream, width },
  { scope, name: `${prefix}_tvalid`, signal: 'tvalid', stream },
  { scope, name: `${prefix}_tready`, signal: 'tready', stream },
];

/** The dump of a chain design: the names and hierarchy of the RTL testbench's (`tb.dut.u_layer_<layer>`). */
export function chainVcdLayout(plan: HwPlan): VcdLayout {
  const streams = plan.streams;
  const nOut = streams.length - 1;
  const inPad = byteWidth(streams[0]!.width);
  const outPad = byteWidth(streams[nOut]!.width);
  const vars: VcdVar[] = [...tbVars(inPad, nOut, outPad), ...clockVars('tb.dut'), ...streamVars('tb.dut', 's_axis', 0, inPad), ...streamVars('tb.dut', 'm_axis', nOut, outPad)];
  for (const s of streams) if (s.topLevel) vars.push(...streamVars('tb.dut', s.prefix, s.index, s.width));
  let first = 0;
  for (const g of plan.layers) {
    const scope = `tb.dut.${g.inst}`;
    const last = first + g.blocks.length;
    vars.push(...clockVars(scope), ...streamVars(scope, 's_axis', first, streams[first]!.width), ...streamVars(scope, 'm_axis', last, streams[last]!.width));
    for (let i = first + 1; i < last; i++) vars.push(...streamVars(scope, streams[i]!.prefix, i, streams[i]!.width));
    first = last;
  }
  return { widths: streams.map((s) => s.width), vars };
}

/**
 * The dump of a graph design: streams named by their RTL path below the design (`x_to_y` wires of the
 * graph top, `u_seg_<segment>.u_layer_<layer>.st0` inside a segment), input 0 and output last.
 */
export function graphVcdLayout(streams: readonly { name: string; width: number }[]): VcdLayout {
  const out = streams.length - 1;
  const inPad = byteWidth(streams[0]!.width);
  const outPad = byteWidth(streams[out]!.width);
  const vars: VcdVar[] = [...tbVars(inPad, out, outPad), ...clockVars('tb.dut'), ...streamVars('tb.dut', 's_axis', 0, inPad), ...streamVars('tb.dut', 'm_axis', out, outPad)];
  streams.forEach((s, i) => {
    if (i === 0 || i === out) return;
    const dot = s.name.lastIndexOf('.');
    vars.push(...streamVars(dot < 0 ? 'tb.dut' : `tb.dut.${s.name.slice(0, dot)}`, s.name.slice(dot + 1), i, s.width));
  });
  return { widths: streams.map((s) => s.width), vars };
}

export class VcdWriter {
  private readonly sink: FileSink;
  private buf: string[] = [];
  private size = 0;
  private nets: Net[] = [];
  private readonly clk: Net;
  private readonly rst: Net;
  /** per block-level stream: valid, ready, data nets (data per width: padded ports have their own) */
  private readonly valid: Net[] = [];
  private readonly ready: Net[] = [];
  private readonly data: Net[][] = [];
  private readonly laneW: number[] = [];
  private readonly widths: number[] = [];
  private time = -1;
  private lastCycle = -1;

  constructor(file: string, layout: VcdLayout | HwPlan) {
    this.sink = openFileOutput(file);
    const l = 'vars' in layout ? layout : chainVcdLayout(layout);
    const net = (width: number): Net => {
      const n = { id: idCode(this.nets.length), width, last: null };
      this.nets.push(n);
      return n;
    };
    this.clk = net(1);
    this.rst = net(1);
    const dataNets = new Map<string, Net>();
    const dataNet = (i: number, width: number): Net => {
      const key = `${i}:${width}`;
      let d = dataNets.get(key);
      if (!d) {
        dataNets.set(key, (d = net(width)));
        this.data[i]!.push(d);
      }
      return d;
    };
    for (const w of l.widths) {
      this.valid.push(net(1));
      this.ready.push(net(1));
      this.data.push([]);
      this.widths.push(w);
      this.laneW.push(0);
    }
    const scopes = new Map<string, VarDecl[]>();
    for (const v of l.vars) {
      let list = scopes.get(v.scope);
      if (!list) scopes.set(v.scope, (list = []));
      let n: Net;
      if (v.signal === 'clk') n = this.clk;
      else if (v.signal === 'rst') n = this.rst;
      else if (v.signal === 'tdata') n = dataNet(v.stream, v.width);
      else if (v.signal === 'tvalid') n = this.valid[v.stream]!;
      else n = this.ready[v.stream]!;
      list.push({ name: v.name, net: n });
    }
    this.header(scopes);
  }

  private header(scopes: Map<string, VarDecl[]>): void {
    this.put(`$version bnn-hw ${VERSION} cycle-accurate simulator $end\n$timescale 1ps $end\n`);
    // scopes are nested by their dotted names; emitted depth first in declaration order
    const tree = new Map<string, string[]>();
    const place = (s: string): void => {
      const parent = s.includes('.') ? s.slice(0, s.lastIndexOf('.')) : '';
      if (!tree.has(parent)) tree.set(parent, []);
      if (tree.get(parent)!.includes(s)) return;
      tree.get(parent)!.push(s);
      // a scope without variables of its own (a graph segment of one layer) still holds its children
      if (parent) place(parent);
    };
    for (const s of scopes.keys()) place(s);
    const emit = (s: string) => {
      this.put(`$scope module ${s.slice(s.lastIndexOf('.') + 1)} $end\n`);
      for (const v of scopes.get(s) ?? []) this.put(`$var wire ${v.net.width} ${v.net.id} ${v.name}${v.net.width > 1 ? ` [${v.net.width - 1}:0]` : ''} $end\n`);
      for (const c of tree.get(s) ?? []) emit(c);
      this.put('$upscope $end\n');
    };
    for (const s of tree.get('') ?? []) emit(s);
    this.put('$enddefinitions $end\n#0\n$dumpvars\n');
    for (const n of this.nets) {
      const v = n === this.clk || n === this.rst ? '0' : n.width === 1 ? 'x' : 'bx';
      n.last = v;
      this.put(n.width === 1 ? `${v}${n.id}\n` : `${v} ${n.id}\n`);
    }
    this.put('$end\n');
    this.time = 0;
  }

  private put(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buf.length) this.sink.write(this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }

  private at(t: number): void {
    if (t !== this.time) {
      this.put(`#${t}\n`);
      this.time = t;
    }
  }

  private set(n: Net, v: string): void {
    if (n.last === v) return;
    n.last = v;
    this.put(n.width === 1 ? `${v}${n.id}\n` : `b${v} ${n.id}\n`);
  }

  /** The stream signals of cycle c (engine onCycle); cycles must come in order 0, 1, 2 ... */
  cycle(c: number, valid: readonly boolean[], ready: readonly boolean[], data: readonly (Beat | null)[]): void {
    if (c === 0) {
      // reset: the first rising edge (5 ns) sets the registers to their reset values; the testbench
      // drives s_tvalid = m_tready = 0 until it releases reset at the falling edge at 40 ns
      for (let t = VCD_HALF_PERIOD_PS; t < RESET_RELEASE_PS; t += 2 * VCD_HALF_PERIOD_PS) {
        this.at(t);
        this.set(this.clk, '1');
        if (t === VCD_HALF_PERIOD_PS) this.signals(valid, ready, data, true);
        this.at(t + VCD_HALF_PERIOD_PS);
        this.set(this.clk, '0');
      }
      this.set(this.rst, '1');
      this.signals(valid, ready, data, false);
    } else {
      // the rising edge ending cycle c-1 updates the registers; the falling edge follows
      this.at(edgeTime(c - 1));
      this.set(this.clk, '1');
      this.signals(valid, ready, data, false);
      this.at(edgeTime(c - 1) + VCD_HALF_PERIOD_PS);
      this.set(this.clk, '0');
    }
    this.lastCycle = c;
  }

  private signals(valid: readonly boolean[], ready: readonly boolean[], data: readonly (Beat | null)[], reset: boolean): void {
    const n = valid.length - 1;
    for (let i = 0; i <= n; i++) {
      const v = reset && i === 0 ? false : valid[i]!;
      const r = reset && i === n ? false : ready[i]!;
      this.set(this.valid[i]!, v ? '1' : '0');
      this.set(this.ready[i]!, r ? '1' : '0');
      const d = data[i];
      if (v && d) {
        if (this.laneW[i] === 0) this.laneW[i] = laneWidth(this.widths[i]!, d.length);
        const bits = beatValue(d, this.laneW[i]!).toString(2);
        for (const net of this.data[i]!) this.set(net, bits);
      }
    }
  }

  /** Final rising edge (the one ending the last simulated cycle) and close the file. */
  close(): void {
    if (this.lastCycle >= 0) {
      this.at(edgeTime(this.lastCycle));
      this.set(this.clk, '1');
    }
    this.flush();
    this.sink.commit();
  }

  /** Drop the file (the simulation failed): nothing is left behind. */
  abort(): void {
    this.sink.abort();
  }
}
