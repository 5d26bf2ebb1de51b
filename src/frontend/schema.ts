/**
 * The single source of truth for the model format `bnn-hw/model@1`.
 * The same zod definitions give the TypeScript types, the runtime structural check and the
 * JSON Schema shipped for editors (`bnn-hw schema`). Weight tensors are checked by a dedicated fast
 * decoder (weights.ts) because LFC-sized models hold millions of numbers.
 */
import { z } from 'zod';

export const FORMAT_TAG = 'bnn-hw/model@1';

const int = () => z.number().int();
const pos = () => z.number().int().positive();
const pair = () => z.tuple([pos(), pos()]);
const perChannel = () => z.array(z.number());
const name = () => z.string().min(1).max(64);

/** A packed binary tensor: bits row-major, least significant bit first within each byte, 1 = +1. */
export const PackedTensor = z
  .object({
    shape: z.array(pos()).min(1),
    packed: z.string().describe('base64 of ceil(prod(shape)/8) bytes'),
  })
  .strict();

type Nested = number | Nested[];
const NestedNumbers: z.ZodType<Nested[]> = z.lazy(() => z.array(z.union([z.number(), NestedNumbers])));

/** For the JSON Schema: nested arrays of real (latent) weights, binarised w >= 0 -> +1, or packed bits. */
export const WeightTensorSchema = z.union([NestedNumbers, PackedTensor]);

export const InputTypeSchema = z.union([
  z.string().regex(/^(uint([1-9]|[12][0-9]|3[0-2])|int([2-9]|[12][0-9]|3[0-2])|bipolar)$/, {
    message: 'expected "uintK" (K = 1..32), "intK" (K = 2..32), "bipolar" or {"fixed": {"bits": K, "frac": F}}',
  }),
  z.object({ fixed: z.object({ bits: z.number().int().min(2).max(32), frac: z.number().int().min(0).max(32) }).strict() }).strict(),
]);

function layerSchemas(weights: z.ZodType) {
  const inputs = () => z.array(name()).min(1).describe('names of the layers (or "input") this layer reads; default: the layer before it');
  const base = { name: name().optional(), inputs: inputs().optional() };
  return z.discriminatedUnion('type', [
    z.object({ type: z.literal('dense'), ...base, units: pos(), weights, bias: perChannel().optional() }).strict(),
    z
      .object({
        type: z.literal('conv2d'),
        ...base,
        filters: pos(),
        kernel: pair(),
        strides: pair().optional(),
        padding: z.union([z.enum(['valid', 'same']), z.tuple([int().min(0), int().min(0), int().min(0), int().min(0)])]).optional(),
        padValue: z.union([z.literal(-1), z.literal(1), z.literal(0)]).optional(),
        weights,
        bias: perChannel().optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('batchnorm'),
        ...base,
        gamma: perChannel(),
        beta: perChannel(),
        mean: perChannel(),
        variance: perChannel(),
        epsilon: z.number(),
      })
      .strict(),
    z.object({ type: z.literal('affine'), ...base, scale: z.union([z.number(), perChannel()]), bias: z.union([z.number(), perChannel()]) }).strict(),
    z.object({ type: z.literal('sign'), ...base }).strict(),
    z
      .object({
        type: z.literal('quant'),
        ...base,
        bits: z.number().int().min(2).max(8),
        signed: z.boolean(),
        narrow: z.boolean().optional(),
        scale: z.number().positive(),
      })
      .strict(),
    z
      .object({
        type: z.literal('multithreshold'),
        ...base,
        thresholds: z.array(z.array(z.number()).min(1).max(255)).min(1).describe('T[C][n]: one non-decreasing row per channel, or one row for all channels'),
        outScale: z.number().positive(),
        outBias: z.number(),
      })
      .strict(),
    z.object({ type: z.literal('maxpool'), ...base, pool: pair(), strides: pair().optional() }).strict(),
    z.object({ type: z.literal('flatten'), ...base }).strict(),
    z.object({ type: z.literal('add'), name: name().optional(), inputs: inputs() }).strict(),
    z.object({ type: z.literal('globalavgpool'), ...base }).strict(),
    z.object({ type: z.literal('avgpool'), ...base, pool: pair(), strides: pair().optional() }).strict(),
  ]);
}

export function modelSchema(weights: z.ZodType) {
  return z
    .object({
      $schema: z.string().optional(),
      format: z.literal(FORMAT_TAG),
      name: z.string(),
      description: z.string().optional(),
      input: z.object({ shape: z.array(pos()).min(1).max(3), type: InputTypeSchema }).strict(),
      layers: z.array(layerSchemas(weights)).min(1),
      output: z.enum(['argmax', 'scores']),
    })
    .strict();
}

/** Structural check used at load time: weights are validated separately (see weights.ts). */
export const ModelStructure = modelSchema(z.unknown());
export type RawModel = z.infer<typeof ModelStructure>;
export type RawLayer = RawModel['layers'][number];
export type LayerType = RawLayer['type'];
export const LAYER_TYPES: readonly LayerType[] = ['dense', 'conv2d', 'batchnorm', 'affine', 'sign', 'quant', 'multithreshold', 'maxpool', 'flatten', 'add', 'globalavgpool', 'avgpool'];

/** JSON Schema (draft 2020-12) for editors, generated from the definitions above. */
export function jsonSchema(): unknown {
  const schema = z.toJSONSchema(modelSchema(WeightTensorSchema), { target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://bnn-hw.dev/schema/model@1.json', title: 'bnn-hw model (bnn-hw/model@1)' };
}
