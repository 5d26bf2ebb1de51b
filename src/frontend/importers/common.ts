/**
 * What every importer shares: options, the input encoding the user declares for float graphs, and the
 * diagnostics of the import (codes BNN200..BNN228, described in src/diagnostics/catalog.ts).
 *
 *   BNN200 the file cannot be read or its format is not recognised
 *   BNN201 the file is malformed (protobuf / HDF5 / Keras config structure, missing tensors)
 *   BNN202 a node or layer type bnn-hw does not map
 *   BNN203 a supported node or layer with an attribute value bnn-hw does not map
 *   BNN204 weights that are not binary
 *   BNN205 several graph inputs or outputs, or a read of a secondary output
 *   BNN206 the input encoding is missing or contradicts the graph, or --input-divisor / --input-offset
 *          are out of range (exit code 2)
 *   BNN212 the HDF5 library cannot read the file (damaged, truncated)
 *   BNN213 a tensor or input shape that cannot be right (negative or non-integer dimensions, more
 *          elements than bnn-hw can compile)
 *   BNN214 a part of the file the importer cannot make sense of (the safety net for damaged files)
 *   BNN215 a weight, parameter or shape that must be constant is computed from the data
 *   BNN216 shapes of connected tensors that do not fit together
 *   BNN217 a data layout bnn-hw does not read (NHWC ONNX, channels_first Keras, rearranging reshapes)
 *   BNN218 a graph input without a fixed shape bnn-hw maps
 *   BNN219 activations that are not quantised (real-valued)
 *   BNN220 a node or layer after the softmax or argmax
 *   BNN221 a constant whose value maps to no layer
 *   BNN222 a tensor data type bnn-hw does not read
 *   BNN223 / BNN224 a Larq input_quantizer / kernel_quantizer bnn-hw does not map
 *   BNN227 two data tensors combined other than by a sum of two of one shape (residual graphs)
 *   BNN228 a branch of the graph the output does not use
 */
import { DiagnosticError, diag, fail } from '../../diagnostics/diagnostic.js';
import type { InputType } from '../../ir/model.js';

export type InputTypeJson = string | { fixed: { bits: number; frac: number } };

export interface ImportOptions {
  /** model name (default: from the file name) */
  name?: string;
  /** integer encoding of a float graph input, e.g. "uint8" */
  inputType?: string;
  /** the graph value is code / divisor + offset */
  inputDivisor?: number;
  inputOffset?: number;
  /** default argmax, unless the graph ends in TopK / ArgMax (always argmax) */
  output?: 'argmax' | 'scores';
}

export type SourceFormat = 'qonnx' | 'finn-onnx' | 'onnx' | 'keras-h5';

export const FORMAT_NAMES: Record<SourceFormat, string> = {
  qonnx: 'QONNX (Brevitas)',
  'finn-onnx': 'FINN-ONNX',
  onnx: 'ONNX',
  'keras-h5': 'Keras / Larq HDF5',
};

export interface ImportResult {
  /** the bnn-hw/model@1 document (already validated by the loader) */
  model: Record<string, unknown>;
  format: SourceFormat;
  /** one line per layer: which node / layer of the source it comes from */
  provenance: string[];
  /** remarks for the user (dropped nodes, folded constants, ...) */
  notes: string[];
}

const INT_RE = /^(uint([1-9]|[12][0-9]|3[0-2])|int([2-9]|[12][0-9]|3[0-2])|bipolar)$/;
const FIXED_RE = /^fixed(\d+)\.(\d+)$/;

/** Parse a --input-type value: "uint8", "int8", "bipolar", "fixed8.7" (bits.frac). */
export function parseInputTypeOption(text: string): { json: InputTypeJson; type: InputType } {
  const t = text.trim();
  if (INT_RE.test(t)) {
    if (t === 'bipolar') return { json: t, type: { kind: 'bipolar' } };
    const m = /^(u?int)(\d+)$/.exec(t)!;
    return { json: t, type: { kind: m[1] === 'uint' ? 'uint' : 'int', bits: Number(m[2]) } };
  }
  const f = FIXED_RE.exec(t);
  if (f) {
    const bits = Number(f[1]);
    const frac = Number(f[2]);
    if (bits >= 2 && bits <= 32 && frac <= 32) return { json: { fixed: { bits, frac } }, type: { kind: 'fixed', bits, frac } };
  }
  return fail('BNN206', '', `--input-type ${JSON.stringify(text)} is not an input type`, 'use uintK (K = 1..32), intK (K = 2..32), bipolar or fixedB.F (B bits, F fraction bits), for example --input-type uint8');
}

/**
 * Why a --input-divisor value cannot be used, or null. The imported model scales its input by 1 / d
 * (an affine layer), so d must be a finite number > 0 whose reciprocal is a finite, normal float64:
 * 5.6e-309 < d <= 2^1022 (about 4.5e307).
 */
export function divisorProblem(d: number): string | null {
  if (!Number.isFinite(d) || !(d > 0)) return `expected a finite number > 0, found ${d}`;
  const r = 1 / d;
  if (!Number.isFinite(r) || r < 2 ** -1022) {
    return `expected a number between 5.6e-309 and 4.5e307 (its reciprocal 1 / d, the scale of the input layer, must be a finite, normal float64), found ${d} (1 / d = ${r})`;
  }
  return null;
}

/** Why an --input-offset value cannot be used, or null. */
export function offsetProblem(off: number): string | null {
  return Number.isFinite(off) ? null : `expected a finite number, found ${off}`;
}

/** A usage diagnostic (exit code 2) about --input-divisor / --input-offset. */
export function scalingFail(message: string, hint: string): never {
  throw new DiagnosticError(diag('BNN207', '', message, hint));
}

export function inputTypeKey(j: InputTypeJson): string {
  return typeof j === 'string' ? j : `fixed${j.fixed.bits}.${j.fixed.frac}`;
}

/**
 * The safety net of the importers: an exception that is not a diagnostic while converting one node or
 * layer of a file (a damaged file breaks assumptions the handlers make about a well-formed graph)
 * becomes BNN214, naming where it happened, with the error in a note for bug reports.
 */
export function unexpected(e: unknown, ptr: string, where: string): never {
  const d = diag('BNN214', ptr, `${where}: the importer cannot make sense of this part of the file`, 'the file is probably damaged: export or save the model again; if it is not damaged, this is a bug in bnn-hw, please report it');
  d.notes = [`${e instanceof Error ? e.name : 'error'}: ${e instanceof Error ? e.message : String(e)}`];
  throw new DiagnosticError(d);
}

/** Add the source file to every diagnostic that has none. */
export function withFile<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DiagnosticError) for (const d of e.diagnostics) d.file ??= file;
    throw e;
  }
}

export async function withFileAsync<T>(file: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof DiagnosticError) for (const d of e.diagnostics) d.file ??= file;
    throw e;
  }
}

/** Shortest faithful text of a list of numbers for messages. */
export function numbersText(xs: ArrayLike<number>, max = 6): string {
  const a = Array.from(xs);
  const shown = a.slice(0, max).map((x) => String(x));
  return `[${shown.join(', ')}${a.length > max ? `, ... (${a.length} values)` : ''}]`;
}
