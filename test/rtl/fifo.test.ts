/**
 * bnn_fifo unit co-simulation: order preservation under random gaps / backpressure, per-cycle
 * checks of s_axis_tready = (count != DEPTH), m_axis_tvalid = (count != 0) and the count itself
 * against a shadow counter, and timing without stalls (a word written at the end of cycle t is
 * visible in cycle t+1; full rate for DEPTH >= 2, half rate for DEPTH = 1).
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import { clog2, describeDiff, makeTmpDir, removeDir, runStreamTb } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';
import { libraryChecks } from '../helpers/lib-checks.js';

async function run(width: number, depth: number, n: number, validProb: number, readyProb: number, seed: number) {
  const prng = new Prng(seed);
  const data = Array.from({ length: n }, () => prng.bits(width));
  const cw = clog2(depth + 1);
  const dir = await makeTmpDir('fifo');
  const res = await runStreamTb({
    dir,
    inW: width,
    outW: width,
    inBeats: data,
    expected: data,
    dut: `
    wire [${cw - 1}:0] cnt;
    bnn_fifo #(.WIDTH(${width}), .DEPTH(${depth})) dut (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s_tdata), .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready),
        .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(m_tready),
        .count(cnt));
    integer shadow = 0;
    always @(posedge clk) begin
        if (rst_n) begin
            if (s_tready !== (cnt != ${depth})) $display("ASSERT tready cnt=%0d", cnt);
            if (m_tvalid !== (cnt != 0)) $display("ASSERT tvalid cnt=%0d", cnt);
            if (cnt !== shadow) $display("ASSERT count %0d != %0d", cnt, shadow);
            shadow = shadow + ((s_tvalid && s_tready) ? 1 : 0) - ((m_tvalid && m_tready) ? 1 : 0);
        end
    end
    // a write attempt while full, with a read in the same cycle (must be refused)
    always @(posedge clk) if (rst_n && cnt == ${depth} && s_tvalid && m_tvalid && m_tready)
        $display("FULLREAD");`,
    libModules: ['bnn_fifo'],
    seed: seed + 1,
    validProb,
    readyProb,
    maxCycles: Math.ceil((n * 6) / Math.min(validProb, readyProb)) + 100,
  });
  return { res, data, dir };
}

const CFGS: [number, number][] = [
  [8, 1],
  [8, 2],
  [5, 3],
  [16, 7],
  [1, 16],
  [70, 4],
];

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('bnn_fifo co-simulation (Icarus)', () => {
  CFGS.forEach(([w, d], idx) => {
    for (const [vp, rp, tag] of [
      [0.9, 0.4, 'fast producer'],
      [0.4, 0.9, 'fast consumer'],
      [0.6, 0.6, 'balanced'],
    ] as const) {
      it(`WIDTH ${w} DEPTH ${d}: order and flags, ${tag}`, async () => {
        const { res, data, dir } = await run(w, d, 300, vp, rp, 1000 + idx * 10 + Math.round(vp * 10));
        expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
        expect(describeDiff(res.beats, data), `dir ${dir}`).toBe('');
        expect(res.log).not.toMatch(/ASSERT/);
        if (tag === 'fast producer') expect(res.log).toMatch(/FULLREAD/); // full + read in one cycle was exercised
        await removeDir(dir);
      });
    }

    it(`WIDTH ${w} DEPTH ${d}: timing without stalls`, async () => {
      const { res, data, dir } = await run(w, d, 50, 1, 1, 2000 + idx);
      expect(describeDiff(res.beats, data), `dir ${dir}`).toBe('');
      const step = d === 1 ? 2 : 1;
      expect(res.outCycles).toEqual(data.map((_, j) => res.firstIn + 1 + j * step));
      await removeDir(dir);
    });
  });
});

libraryChecks('bnn_fifo', {
  lint: [
    {},
    { WIDTH: 8, DEPTH: 1 },
    { WIDTH: 1, DEPTH: 2 },
    { WIDTH: 33, DEPTH: 5 },
    { WIDTH: 4, DEPTH: 16 },
  ],
  paramErrors: [
    { bad: { WIDTH: 0, DEPTH: 2 }, good: { WIDTH: 1, DEPTH: 2 }, error: 'bnn_param_error_fifo_WIDTH_below_1' },
  ],
  synth: [
    { params: { WIDTH: 9, DEPTH: 5 } },
  ],
});
