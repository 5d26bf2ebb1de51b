/**
 * The cycle model's work budget. FIFO sizing (fifo-sizing.ts) and the timing prediction (timing.ts)
 * step every block of the chain once per cycle for several frames, so their time grows with
 * (cycles per frame) x (blocks). A design above the budget is refused (BNN113) before the cycle
 * model starts, instead of running for minutes.
 *
 * Measured (bench/scale.md, `npm run bench:scale`; 2 cores, Node 20, other jobs running): FIFO
 * sizing of one unfolded 4096 x 4096 dense layer (2^24 cycles per frame x 2 blocks = 2^25) takes
 * about 11 s of CPU, LFC unfolded (2^23.3) about 5 s, i.e. 0.3 to 0.5 us per unit. 2^25 keeps the
 * cycle model of any admitted design near 10 to 15 s of CPU; FINN's CNV unfolded (2^29.5, over 15
 * minutes) is refused, with its folding (examples/folds/cnv-finn.json) it is 2^20.
 */
import type { HwPlan } from '../passes/plan.js';
import { fail } from '../diagnostics/diagnostic.js';

export const CYCLE_BUDGET = 2 ** 25;

/** Frames per second a folding must reach at 100 MHz for the design to fit the budget. */
const fpsFor = (blocks: number): number => Math.ceil((100e6 * blocks) / CYCLE_BUDGET);

export function checkCycleBudget(plan: HwPlan, what: string): void {
  const blocks = plan.blocks.length;
  const work = plan.cyclesPerFrame * blocks;
  if (work <= CYCLE_BUDGET) return;
  fail(
    'BNN113', '',
    `${what}: the design takes ${plan.cyclesPerFrame} cycles per frame in ${blocks} blocks, ${work} block-cycles per frame for the cycle model, expected at most ${CYCLE_BUDGET} (2^25; it would run for minutes)`,
    `give a folding with more PE / SIMD: --fold <file> (the examples' foldings are in examples/folds/) or --target-fps ${fpsFor(blocks)} or more (at 100 MHz), so that the slowest layer takes at most ${Math.floor(CYCLE_BUDGET / blocks)} cycles per frame`,
  );
}
