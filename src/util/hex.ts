/** $readmemh text: one word per line, ceil(width/4) hex digits, most significant digit first. */

/** Format a word given as a function bit(i) for i in [0, width). */
export function hexWord(width: number, bit: (i: number) => number): string {
  const digits = Math.max(1, Math.ceil(width / 4));
  const out = new Array<string>(digits);
  for (let d = 0; d < digits; d++) {
    let v = 0;
    for (let b = 0; b < 4; b++) {
      const i = d * 4 + b;
      if (i < width && bit(i)) v |= 1 << b;
    }
    out[digits - 1 - d] = v.toString(16);
  }
  return out.join('');
}

/** Lane k of a word holds values[k] as a w-bit two's complement (or unsigned) field. */
export function hexLanes(values: readonly number[], w: number): string {
  return hexWord(values.length * w, (i) => {
    const v = values[Math.floor(i / w)]!;
    const b = i % w;
    // two's complement bit b of v (v may be negative); exact for |v| < 2^52
    const m = ((v % 2 ** w) + 2 ** w) % 2 ** w;
    return Math.floor(m / 2 ** b) % 2;
  });
}

export function hexFile(words: string[]): string {
  return words.join('\n') + '\n';
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
