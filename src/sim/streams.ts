/**
 * Beat values of the streams: lane packing as the RTL's tdata holds it, hex forms for comparing
 * with the testbench's output.
 */
/** Lane width of a beat on a stream of `width` bits (lanes are equally wide; a masked sliding-window beat
 * of SIMD+1 lanes carries 1-bit lanes). */
export function laneWidth(width: number, lanes: number): number {
  if (lanes <= 0) return width;
  return width % lanes === 0 ? width / lanes : 1;
}

/** A beat (lane values, two's complement for negative lanes) as an unsigned integer of lanes*laneW bits. */
export function beatValue(beat: readonly number[], laneW: number): bigint {
  let v = 0n;
  const lw = BigInt(laneW);
  const mod = 1n << lw;
  for (let k = beat.length - 1; k >= 0; k--) {
    let x = BigInt(beat[k]!);
    if (x < 0n) x += mod;
    v = (v << lw) | (x & (mod - 1n));
  }
  return v;
}

/** The same value as a lower-case hexadecimal string without leading zeros ("0" for zero). */
export const beatHexValue = (beat: readonly number[], width: number): string => beatValue(beat, laneWidth(width, beat.length)).toString(16);

/** Normalise a Verilog `%h` word: lower case, leading zeros removed (x / z digits kept). */
export function normHex(h: string): string {
  const s = h.toLowerCase().replace(/^0+/, '');
  return s === '' ? '0' : s;
}
