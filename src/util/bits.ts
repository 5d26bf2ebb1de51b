/**
 * A compact bit matrix: `rows` x `cols` bits stored row-major with no padding between rows (bit c of
 * row r is bit r*cols + c of the whole, least significant bit of each 32-bit word first), the layout
 * of the model format's packed weights. One bit costs one bit, whatever the shape: a ROM one bit wide
 * and 2^24 words deep takes 2 MB, not 2^24 numbers. Memory images are written straight from the words
 * ($readmemh text, one row per line) and the column statistics the resource estimate needs (which
 * columns vary, how many distinct varying columns) are computed on the words.
 */

const HEX = Buffer.from('0123456789abcdef', 'latin1');
const isLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class BitMatrix {
  readonly data: Uint32Array;
  constructor(readonly rows: number, readonly cols: number, data?: Uint32Array) {
    const words = Math.ceil((rows * cols) / 32);
    if (data && data.length < words) throw new RangeError(`BitMatrix ${rows} x ${cols} needs ${words} words, found ${data.length}`);
    this.data = data ?? new Uint32Array(words);
  }

  get(r: number, c: number): number {
    const i = r * this.cols + c;
    return (this.data[Math.floor(i / 32)]! >>> (i % 32)) & 1;
  }

  set(r: number, c: number, v: number): void {
    const i = r * this.cols + c;
    const w = Math.floor(i / 32);
    if (v) this.data[w]! |= 1 << (i % 32);
    else this.data[w]! &= ~(1 << (i % 32));
  }

  /** `n` <= 32 bits starting at bit `off` of the whole (row-major), bit 0 = bit `off`. */
  bitsAt(off: number, n: number): number {
    const w = Math.floor(off / 32);
    const s = off % 32;
    let v = this.data[w]! >>> s;
    if (s !== 0 && s + n > 32) v |= this.data[w + 1]! << (32 - s);
    return n === 32 ? v >>> 0 : v & ((1 << n) - 1);
  }

  /** A writer that appends bits from bit 0 on (each `put` adds n <= 32 bits, bit 0 first). */
  appender(): { put(v: number, n: number): void } {
    const d = this.data;
    let w = 0;
    let fill = 0;
    let acc = 0;
    return {
      put(v: number, n: number): void {
        if (n === 0) return;
        acc |= v << fill;
        if (fill + n >= 32) {
          d[w++] = acc;
          acc = fill === 0 ? 0 : v >>> (32 - fill);
          fill = fill + n - 32;
        } else fill += n;
        if (w < d.length) d[w] = acc; // the word being filled, so far
      },
    };
  }

  /** Row-major 0/1 values (e.g. the IR's weights), rows x cols of them; a Uint8Array must hold only 0 and 1. */
  static fromBits(bits: ArrayLike<number>, rows: number, cols: number): BitMatrix {
    const m = new BitMatrix(rows, cols);
    const d = m.data;
    const n = rows * cols;
    const whole = n >>> 5;
    if (bits instanceof Uint8Array && bits.byteOffset % 4 === 0 && isLittleEndian) {
      // 0/1 bytes read four at a time (byte j of a little-endian word is bits 8j..8j+7)
      const q = new Uint32Array(bits.buffer, bits.byteOffset, whole * 8);
      for (let w = 0; w < whole; w++) {
        let v = 0;
        for (let k = 0; k < 8; k++) {
          const x = q[w * 8 + k]!;
          v |= ((x & 1) | ((x >>> 7) & 2) | ((x >>> 14) & 4) | ((x >>> 21) & 8)) << (4 * k);
        }
        d[w] = v;
      }
    } else {
      for (let w = 0; w < whole; w++) {
        let v = 0;
        for (let b = 0, i = w << 5; b < 32; b++, i++) if (bits[i]) v |= 1 << b;
        d[w] = v;
      }
    }
    for (let i = whole << 5; i < n; i++) if (bits[i]) d[i >>> 5]! |= 1 << (i & 31);
    return m;
  }

  /** $readmemh text, one word per line, bit c of a row = bit c of its word (bits >= cols ignored). */
  static fromHex(text: string, cols: number): BitMatrix {
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
    const m = new BitMatrix(lines.length, cols);
    lines.forEach((l, r) => {
      for (let c = 0; c < cols && c < 4 * l.length; c++) {
        const digit = parseInt(l[l.length - 1 - Math.floor(c / 4)]!, 16);
        if ((digit >> (c % 4)) & 1) m.set(r, c, 1);
      }
    });
    return m;
  }

  /**
   * The $readmemh text: per row max(1, ceil(cols / 4)) hex digits, most significant first, and a
   * newline; built as bytes, never as one string per word.
   */
  hexImage(): Buffer {
    const { rows, cols } = this;
    const digits = Math.max(1, Math.ceil(cols / 4));
    const line = digits + 1;
    const out = Buffer.allocUnsafe(rows * line);
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const end = r * line + digits;
      for (let d = 0; d < digits; d++) {
        const n = Math.min(4, cols - 4 * d);
        out[end - 1 - d] = HEX[n > 0 ? this.bitsAt(base + 4 * d, n) : 0]!;
      }
      out[end] = 10;
    }
    return out;
  }

  /** Columns whose bit is not the same in every row (a single row: none; no rows: all). */
  varyingColumns(): number {
    return popcountWords(this.varyingMask());
  }

  /** Distinct columns among those that vary (identical ROM bit functions are shared by synthesis). */
  distinctVaryingColumns(): number {
    const vary = this.varyingMask();
    const t = this.transpose();
    const seen = new Set<string>();
    for (let c = 0; c < this.cols; c++) {
      if (!((vary[c >>> 5]! >>> (c & 31)) & 1)) continue;
      // the column as 16-bit characters (row c of the transpose; the last one short)
      let key = '';
      for (let r = 0; r < this.rows; r += 16) key += String.fromCharCode(t.bitsAt(c * this.rows + r, Math.min(16, this.rows - r)));
      seen.add(key);
    }
    return seen.size;
  }

  transpose(): BitMatrix {
    const t = new BitMatrix(this.cols, this.rows);
    for (let r = 0; r < this.rows; r++) for (let c = 0; c < this.cols; c++) if (this.get(r, c)) t.set(c, r, 1);
    return t;
  }

  /** Ones per row. */
  rowPopcounts(): Uint32Array {
    const out = new Uint32Array(this.rows);
    for (let r = 0; r < this.rows; r++) {
      let n = 0;
      for (let c = 0; c < this.cols; c += 32) n += popcount32(this.bitsAt(r * this.cols + c, Math.min(32, this.cols - c)));
      out[r] = n;
    }
    return out;
  }

  /** Ones per column. */
  columnPopcounts(): Uint32Array {
    const out = new Uint32Array(this.cols);
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c += 32) {
        let v = this.bitsAt(r * this.cols + c, Math.min(32, this.cols - c));
        while (v !== 0) {
          const b = 31 - Math.clz32(v & -v);
          out[c + b]!++;
          v &= v - 1;
        }
      }
    }
    return out;
  }

  /** Bit c set when column c varies: OR and AND of every row, 32 columns at a time. */
  private varyingMask(): Uint32Array {
    const { rows, cols } = this;
    const chunks = Math.ceil(cols / 32);
    const out = new Uint32Array(chunks);
    if (rows === 0) {
      for (let w = 0; w < chunks; w++) out[w] = lowBits(Math.min(32, cols - 32 * w));
      return out;
    }
    for (let w = 0; w < chunks; w++) {
      const n = Math.min(32, cols - 32 * w);
      let and = lowBits(n);
      let or = 0;
      for (let r = 0; r < rows; r++) {
        const v = this.bitsAt(r * cols + 32 * w, n);
        and &= v;
        or |= v;
      }
      out[w] = (or & ~and) >>> 0;
    }
    return out;
  }
}

const lowBits = (n: number): number => (n >= 32 ? 0xffffffff : (1 << n) - 1) >>> 0;

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function popcountWords(ws: Uint32Array): number {
  let n = 0;
  for (const w of ws) n += popcount32(w);
  return n;
}
