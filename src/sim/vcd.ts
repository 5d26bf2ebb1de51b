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

  constructor(file: string, plan: HwPlan) {
    this.sink = openFileOutput(file);
    const gs = plan.layers;
    const streams = plan.streams;
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
    for (const s of streams) {
      this.valid.push(net(1));
      this.ready.push(net(1));
      this.data.push([]);
      this.widths.push(s.width);
      this.laneW.push(0);
    }
    const scopes = new Map<string, VarDecl[]>();
    const add = (scope: string, name: string, n: Net) => {
      let l = scopes.get(scope);
      if (!l) scopes.set(scope, (l = []));
      l.push({ name, net: n });
    };
    const streamVars = (scope: string, prefix: string, i: number, width: number) => {
      add(scope, `${prefix}_tdata`, dataNet(i, width));
      add(scope, `${prefix}_tvalid`, this.valid[i]!);
      add(scope, `${prefix}_tready`, this.ready[i]!);
    };
    const nOut = streams.length - 1;
    const inPad = byteWidth(streams[0]!.width);
    const outPad = byteWidth(streams[nOut]!.width);
    add('tb', 'clk', this.clk);
    add('tb', 'rst_n', this.rst);
    add('tb', 's_tdata', dataNet(0, inPad));
    add('tb', 's_tvalid', this.valid[0]!);
    add('tb', 's_tready', this.ready[0]!);
    add('tb', 'm_tdata', dataNet(nOut, outPad));
    add('tb', 'm_tvalid', this.valid[nOut]!);
    add('tb', 'm_tready', this.ready[nOut]!);
    add('tb.dut', 'clk', this.clk);
    add('tb.dut', 'rst_n', this.rst);
    streamVars('tb.dut', 's_axis', 0, inPad);
    streamVars('tb.dut', 'm_axis', nOut, outPad);
    for (const s of streams) if (s.topLevel) streamVars('tb.dut', s.prefix, s.index, s.width);
    let first = 0;
    for (const g of gs) {
      const scope = `tb.dut.${g.inst}`;
      const last = first + g.blocks.length;
      add(scope, 'clk', this.clk);
      add(scope, 'rst_n', this.rst);
      streamVars(scope, 's_axis', first, streams[first]!.width);
      streamVars(scope, 'm_axis', last, streams[last]!.width);
      for (let i = first + 1; i < last; i++) streamVars(scope, streams[i]!.prefix, i, streams[i]!.width);
      first = last;
    }
    this.header(scopes);
  }

  private header(scopes: Map<string, VarDecl[]>): void {
    this.put(`$version bnn-hw ${VERSION} cycle-accurate simulator $end\n$timescale 1ps $end\n`);
    // scopes are nested by their dotted names; emitted depth first in declaration order
    const tree = new Map<string, string[]>();
    for (const s of scopes.keys()) {
      const parent = s.includes('.') ? s.slice(0, s.lastIndexOf('.')) : '';
      if (!tree.has(parent)) tree.set(parent, []);
      tree.get(parent)!.push(s);
    }
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
