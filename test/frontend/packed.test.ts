/**
 * Packed weights {"shape", "packed": base64}: the bits after the last weight (the high bits of the last
 * byte, and the unused bits of the last base64 character) must be 0 (BNN025); every other byte value
 * decodes, least significant bit first.
 */
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { decodeWeights } from '../../src/frontend/weights.js';

const code = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics[0]!.code;
    throw e;
  }
};

describe('packed weight padding', () => {
  it('for every size of 1 to 24 bits and every value of the last byte: accepted exactly when the padding bits are 0', () => {
    for (let total = 1; total <= 24; total++) {
      const need = Math.ceil(total / 8);
      const used = total - (need - 1) * 8;
      for (let last = 0; last < 256; last++) {
        const bytes = Buffer.alloc(need, 0xa5);
        bytes[need - 1] = last;
        const run = () => decodeWeights({ shape: [1, total], packed: bytes.toString('base64') }, [1, total], '/w', 'dense layer "fc"');
        if (last >> used === 0) {
          const bits = run();
          expect(bits.length).toBe(total);
          for (let i = 0; i < total; i++) expect(bits[i]).toBe((bytes[i >> 3]! >> (i & 7)) & 1);
        } else expect(code(run)).toBe('BNN025');
      }
    }
  });

  it('base64 with nonzero unused bits in its last character is refused, its canonical form accepted', () => {
    // 2 bytes: 3 base64 characters hold 18 bits, the last 2 are unused
    for (const [text, ok] of [['AA8=', true], ['AA9=', false], ['AA+=', false], ['AA/=', false]] as const) {
      expect(code(() => decodeWeights({ shape: [3, 4], packed: text }, [3, 4], '/w', 'dense layer "fc"'))).toBe(ok ? null : 'BNN025');
    }
    // 1 byte: 2 characters hold 12 bits, the last 4 are unused
    expect(code(() => decodeWeights({ shape: [2, 4], packed: '/w==' }, [2, 4], '/w', 'x'))).toBe(null);
    expect(code(() => decodeWeights({ shape: [2, 4], packed: '/x==' }, [2, 4], '/w', 'x'))).toBe('BNN025');
  });
});
