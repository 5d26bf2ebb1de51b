/**
 * Fixed latencies of the library modules (fire to visible output, docs/rtl-blocks.md), owned here
 * and used by the planner, the cycle model and the estimates.
 */
export const mvuLatency = (popStages: number): number => 3 + popStages;
export const THRESH_IN_LATENCY = 2;
export const argmaxLatency = (rank: boolean): number => 2 + (rank ? 1 : 0);
export const SWG_LATENCY = 2;
export const POOL_LATENCY = 1;
/** bnn_fifo and bnn_dwc: a word written at the edge ending cycle t is visible in cycle t+1 */
export const STREAM_LATENCY = 1;

/** Output FIFO entries so that a block with this latency never waits for credits at full rate. */
export const obufFor = (latency: number, stepsPerResult: number): number => Math.floor(latency / stepsPerResult) + 1;
