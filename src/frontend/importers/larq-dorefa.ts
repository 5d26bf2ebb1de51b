/**
 * Larq's DoReFa quantiser on activations (larq.quantizers.DoReFa, called DoReFaQuantizer and
 * "dorefa_quantizer" before; issue 12). Larq defines, for mode "activations" and n = 2^k_bit - 1,
 *     q(x) = round(clip(x, 0, 1) * n) / n      (tf.round: half to even)
 * and bnn-hw imports it as an unsigned k-bit quant layer with scale s = 1/n (in float64):
 *     code = clamp(roundHalfEven(x / s), 0, n),  value = s * code.
 * Why that is the same function:
 *   - clip, then round = round, then clamp: x < 0 gives x / s < 0, which rounds to a code <= 0 (a value
 *     in [-1/2, 0) to 0, half to even), clamped to 0 = round(0); x > 1 gives x / s > n (1 ulp below
 *     n at worst), rounded to >= n, clamped to n = round(n).
 *   - x / s against x * n: s = 1/n is not exact in float64 (n is odd), so x / s = x * n (1 + e) with
 *     |e| <= 2^-52. For a float32 x (Keras computes in float32) x * n is exact in float64 and lies
 *     either on a half-integer or at least 2^-33 from one (x >= 1 / 2n has at most 32 bits after the binary point), far more than the error, and the only
 *     half-integer a float32 x in [0, 1] reaches is x = 1/2 (n / 2), which x / s also gives exactly:
 *     the codes agree for every float32 x (tested over the float32 neighbours of every tie). For a
 *     float64 x (bnn-hw's float reference), the float64 within one ulp of a tie (m + 1/2) / n can round
 *     to the other code than the exact product; that is below the float32 rounding TensorFlow itself
 *     makes of x * n (which can round a product onto a half-integer), so the import is as exact as
 *     the float32 model is.
 * mode "weights" (tanh, max-norm, range [-1, 1]) and k_bit outside 2..8 are refused (BNN226); as a
 * kernel_quantizer DoReFa is BNN224 (bnn-hw's weights are binary).
 */

type Json = Record<string, unknown>;

const NAMES = new Set(['dorefa', 'dorefaquantizer']);

/** The class or alias name of a serialised quantiser or activation, without a `larq>` registration prefix. */
export function quantizerName(q: unknown): string {
  const raw = typeof q === 'string' ? q : q !== null && typeof q === 'object' ? String((q as Json)['class_name'] ?? '') : String(q);
  return raw.replace(/^.*>/, '');
}

export function isDoReFa(q: unknown): boolean {
  return NAMES.has(quantizerName(q).toLowerCase().replace(/[^a-z]/g, ''));
}

export const DOREFA_HINT = 'bnn-hw imports Larq DoReFa on activations: mode "activations" with k_bit 2 to 8, as an unsigned k-bit quant layer with scale 1 / (2^k_bit - 1)';

/** The bit width of a DoReFa on activations; `refuse` (BNN226) for another mode or bit width. */
export function doReFaBits(q: unknown, refuse: (what: string) => never): number {
  const cfg = q !== null && typeof q === 'object' && typeof (q as Json)['config'] === 'object' && (q as Json)['config'] !== null ? ((q as Json)['config'] as Json) : {};
  const k = cfg['k_bit'] ?? 2;
  const mode = cfg['mode'] ?? 'activations';
  if (mode !== 'activations') refuse(`has mode ${JSON.stringify(mode)}`);
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 2 || k > 8) refuse(`has k_bit ${JSON.stringify(k)}, expected an integer from 2 to 8`);
  return k as number;
}
