/**
 * Reading VCD files with vcd-stream's WASM parser (its native parser loses the scope tree) and
 * sampling signals cycle by cycle at the testbench's clock edges.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';

const require = createRequire(import.meta.url);

interface VcdVarNode {
  kind: 'var';
  name: string;
  size: number;
  link: string;
}
interface VcdScopeNode {
  kind: 'scope';
  name: string;
  body: (VcdVarNode | VcdScopeNode)[];
}

export interface Signal {
  width: number;
  /** value changes in time order: time (in the file's unit) and value ('0', '1', 'x', or binary digits without leading zeros, 'x' if any bit is unknown) */
  times: number[];
  values: string[];
}

export interface Vcd {
  timescale: string;
  /** full hierarchical name (tb.dut.s1_tvalid) -> signal */
  signals: Map<string, Signal>;
}

type Parser = Writable & { change: { any: (fn: (id: string, time: bigint, cmd: number, value?: bigint, mask?: bigint) => void) => void }; info: { wires: VcdScopeNode; timescale?: unknown } };

const SCALAR: Record<number, string> = { 14: '0', 15: '1' };

export async function readVcd(file: string): Promise<Vcd> {
  const createVCD = require('vcd-stream/out/vcd.js') as () => Promise<unknown>;
  const webVcdParser = require('vcd-stream/lib/web-vcd-parser.js') as (m: unknown) => Promise<Parser>;
  const inst = await webVcdParser(await createVCD());
  const byId = new Map<string, { times: number[]; values: string[] }>();
  inst.change.any((id, time, cmd, value, mask) => {
    let s = byId.get(id);
    if (!s) byId.set(id, (s = { times: [], values: [] }));
    let v: string;
    if (cmd >= 14 && cmd <= 28) v = SCALAR[cmd] ?? 'x';
    else v = mask !== undefined && mask !== 0n ? 'x' : (value ?? 0n).toString(2);
    s.times.push(Number(time));
    s.values.push(v);
  });
  // the WASM parser copies each chunk onto its stack: feed it in small pieces
  const text = readFileSync(file);
  await new Promise<void>((resolve, reject) => {
    inst.on('error', reject);
    const CHUNK = 1 << 14;
    let off = 0;
    const pump = () => {
      while (off < text.length) {
        const piece = text.subarray(off, off + CHUNK);
        off += CHUNK;
        if (!inst.write(piece)) {
          inst.once('drain', pump);
          return;
        }
      }
      inst.end(() => resolve());
    };
    pump();
  });
  const signals = new Map<string, Signal>();
  const walk = (node: VcdScopeNode, path: string[]) => {
    for (const c of node.body) {
      if (c.kind === 'scope') walk(c, [...path, c.name]);
      else {
        const s = byId.get(c.link) ?? { times: [], values: [] };
        signals.set([...path, c.name].join('.'), { width: c.size, times: s.times, values: s.values });
      }
    }
  };
  walk(inst.info.wires, []);
  return { timescale: String(inst.info.timescale ?? ''), signals };
}

/** The value a signal holds just before time t (the last change strictly before t). */
export function valueBefore(s: Signal, t: number, from = 0): { value: string; index: number } {
  let i = from;
  while (i < s.times.length && s.times[i]! < t) i++;
  return { value: i === 0 ? 'x' : s.values[i - 1]!, index: i };
}

/** Sample a signal before each of the given (increasing) times. */
export function sample(s: Signal, times: number[]): string[] {
  const out: string[] = [];
  let k = 0;
  for (const t of times) {
    const r = valueBefore(s, t, k);
    out.push(r.value);
    k = Math.max(0, r.index - 1);
  }
  return out;
}
