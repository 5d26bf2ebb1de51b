/**
 * Drive TypeScript cycle models (BlockSim, src/sim) exactly the way the unit testbench of
 * test/helpers/rtlsim.ts drives the RTL: the same seeded tvalid / tready masks (maskWords with
 * Prng(seed), valid mask first), the same offer rule (a beat once offered stays offered until
 * taken; the source offers in cycle c when the valid mask bit c is set), cycle 0 with nothing
 * offered and the sink not ready, and the same cycle numbering (cycle 0 = first cycle after reset).
 * A chain of blocks is stepped like src/sim/engine.ts: register-only outputs first, then one clock
 * edge for every block.
 */
import type { Beat, BlockSim } from '../../src/blocks/sim-base.js';
import { Prng } from './prng.js';
import { maskWords } from './rtlsim.js';

export interface DriveOptions {
  seed: number;
  validProb: number;
  readyProb: number;
  maxCycles: number;
  /** cycles to keep running (sink always ready) after the last expected beat */
  tailCycles?: number;
}

export interface DriveResult {
  beats: Beat[];
  outCycles: number[];
  inCycles: number[];
  firstIn: number;
  timeout: boolean;
}

function maskBits(words: bigint[]): (c: number) => boolean {
  const nums = words.map((w) => Number(w));
  return (c) => (c >= nums.length * 32 ? true : ((nums[c >>> 5]! >>> (c & 31)) & 1) === 1);
}

export function driveChain(blocks: BlockSim[], inBeats: readonly Beat[], nOut: number, o: DriveOptions): DriveResult {
  const prng = new Prng(o.seed);
  const vbit = maskBits(maskWords(prng, o.maxCycles, o.validProb));
  const rbit = maskBits(maskWords(prng, o.maxCycles, o.readyProb));
  const n = blocks.length;
  const tail = o.tailCycles ?? 16;
  const beats: Beat[] = [];
  const outCycles: number[] = [];
  const inCycles: number[] = [];
  let sv = false;
  let mr = false;
  let ip = 0;
  let doneAt = -1;
  const v = new Array<boolean>(n + 1);
  const r = new Array<boolean>(n + 1);
  const d = new Array<Beat | null>(n + 1);
  let c = 0;
  for (; c < o.maxCycles; c++) {
    v[0] = sv;
    d[0] = sv ? inBeats[ip]! : null;
    for (let i = 0; i < n; i++) {
      r[i] = blocks[i]!.sReady();
      v[i + 1] = blocks[i]!.mValid();
      d[i + 1] = v[i + 1] ? blocks[i]!.mData() : null;
    }
    r[n] = mr;
    if (v[0] && r[0]) {
      inCycles.push(c);
      ip++;
    }
    if (v[n] && r[n]) {
      beats.push(d[n]!);
      outCycles.push(c);
    }
    for (let i = 0; i < n; i++) blocks[i]!.step(c, v[i]!, d[i]!, r[i + 1]!);
    if (beats.length >= nOut && doneAt < 0) doneAt = c;
    if (doneAt >= 0 && c >= doneAt + tail) break;
    const hold: boolean = v[0]! && !r[0]!;
    sv = ip < inBeats.length && (hold || vbit(c + 1));
    mr = doneAt >= 0 || rbit(c + 1);
  }
  return { beats, outCycles, inCycles, firstIn: inCycles.length ? inCycles[0]! : -1, timeout: doneAt < 0 };
}

export function driveBlock(sim: BlockSim, inBeats: readonly Beat[], nOut: number, o: DriveOptions): DriveResult {
  return driveChain([sim], inBeats, nOut, o);
}
