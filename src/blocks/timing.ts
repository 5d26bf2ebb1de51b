/**
 * Fixed latencies of the library modules (fire to visible output, docs/rtl-blocks.md), owned here
 * and used by the planner, the cycle model and the estimates.
 */
export const mvuLatency = (popStages: number): number => 3 + popStages;
export const THRESH_IN_LATENCY = 2;
export const argmaxLatency = (rank: boolean): number => 2 + (rank ? 1 : 0);

/** Output FIFO entries so that a block with this latency never waits for credits at full rate. */
export const obufFor = (latency: number, stepsPerResult: number): number => Math.floor(latency / stepsPerResult) + 1;
