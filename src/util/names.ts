/**
 * Identifier rules. A model name becomes a Verilog module prefix and an output folder name, a layer
 * name becomes part of instance and file names, so both must be plain ASCII identifiers that are not
 * (System)Verilog keywords and cannot escape a folder.
 */
const KEYWORDS = new Set(
  (
    'always always_comb always_ff always_latch and assert assign assume automatic begin bind bit break buf bufif0 bufif1 byte case casex casez ' +
    'cell chandle class clocking cmos config const constraint context continue cover covergroup coverpoint cross deassign default defparam ' +
    'design disable dist do edge else end endcase endclass endclocking endconfig endfunction endgenerate endgroup endinterface endmodule ' +
    'endpackage endprimitive endprogram endproperty endspecify endsequence endtable endtask enum event export extends extern final first_match ' +
    'for force foreach forever fork forkjoin function generate genvar highz0 highz1 if iff ifnone ignore_bins illegal_bins import incdir include ' +
    'initial inout input inside instance int integer interface intersect join join_any join_none large liblist library local localparam logic ' +
    'longint macromodule matches medium modport module nand negedge new nmos nor noshowcancelled not notif0 notif1 null or output package packed ' +
    'parameter pmos posedge primitive priority program property protected pull0 pull1 pulldown pullup pulsestyle_ondetect pulsestyle_onevent ' +
    'pure rand randc randcase randsequence rcmos real realtime ref reg release repeat return rnmos rpmos rtran rtranif0 rtranif1 scalared sequence ' +
    'shortint shortreal showcancelled signed small solve specify specparam static string strong0 strong1 struct super supply0 supply1 table tagged ' +
    'task this throughout time timeprecision timeunit tran tranif0 tranif1 tri tri0 tri1 triand trior trireg type typedef union unique unsigned ' +
    'use uwire var vectored virtual void wait wait_order wand weak0 weak1 while wildcard wire with within wor xnor xor'
  ).split(' '),
);

export const MAX_NAME_LENGTH = 48;
const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;

/** null when fine, else the reason the name is refused. */
export function identifierProblem(name: string): string | null {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_NAME_LENGTH) return `it is longer than ${MAX_NAME_LENGTH} characters`;
  const sep = /[/\\]/.exec(name);
  if (sep) return `it contains the path separator '${sep[0]}'`;
  if (name.includes('..')) return 'it contains ".."';
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(name)) return 'it contains non-ASCII characters';
  if (!IDENT.test(name)) return 'it must start with a letter and contain only letters, digits and _';
  if (KEYWORDS.has(name)) return 'it is a Verilog keyword';
  if (name.startsWith(LIBRARY_PREFIX)) return `the prefix ${LIBRARY_PREFIX} is reserved for library modules`;
  return null;
}

/** A safe identifier close to `name`, offered in hints; also a valid model name (see modelNameProblem). */
export function suggestIdentifier(name: string): string {
  let s = name.normalize('NFKD').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').replace(/__+/g, '_');
  while (s.toLowerCase().startsWith(LIBRARY_PREFIX)) s = s.slice(LIBRARY_PREFIX.length);
  if (s === '') return 'model';
  if (!/^[A-Za-z]/.test(s) || s.toLowerCase() === LIBRARY_STEM) s = 'm_' + s;
  s = s.slice(0, MAX_NAME_LENGTH).replace(/_+$/, '');
  if (KEYWORDS.has(s)) s = s.slice(0, MAX_NAME_LENGTH - 4) + '_net';
  return s;
}

// ------------------------------------------------------------------------------------------------
// Names in a generated design. Every module, instance and file name that depends on the model or a
// layer is formed by the functions below and nowhere else. With M the model name and X a layer name:
//
//   library modules   bnn_<block>          rtl/bnn_<block>.v   (templates/lib, fixed)
//   testbench         tb                   tb/tb.v             (instance of the design: dut)
//   top level         M_top                rtl/M_top.v
//   pnr harness       M_pnr_top            flows/M_pnr_top.v   (instance of the design: u_dut)
//   layer wrapper     M_layer_X            rtl/M_layer_X.v     instance u_layer_X in M_top
//   stage wrapper     M_argmax             rtl/M_argmax.v      instance u_argmax in M_top
//   memory image      <wrapper>_<rom>      mem/<wrapper>_<rom>.mem, rom = weights | thresholds | rank<k>
//
// Unique by construction: every design module but tb is M_<unit>, unit = top | pnr_top | a stage name
// | layer_<X>. The fixed units differ from each other and none starts with `layer_` (checkTable), and
// layer names are unique even ignoring letter case (BNN051 / BNN016), so units are unique. M_<unit>
// contains a `_`, so it is never `tb`, and it never starts with bnn_ (in any letter case) because M is
// neither `bnn` nor starts with bnn_ (BNN050 / BNN015). Memory images: rom names contain no `_`, so
// the last `_` of `<wrapper>_<rom>` gives the wrapper and the rom back. In M_top the instances are
// u_<unit> and the wires s<k>_t* / unused_pad; inside a wrapper the instances are u_<block kind> /
// u_<rom> and the wires fixed words (src/emit/rtl.ts) that no user name reaches. Since the same
// arguments hold for lower-cased names, no two files differ only in case either (case-insensitive
// file systems). Memory images carry the model name, so designs of models with unrelated names can
// share one project (only the identical bnn_* library files coincide).
// ------------------------------------------------------------------------------------------------

/** Prefix of the library modules (templates/lib/bnn_*.v). */
export const LIBRARY_PREFIX = 'bnn_';
const LIBRARY_STEM = LIBRARY_PREFIX.slice(0, -1);
/** The testbench module and its instance of the design. */
export const TESTBENCH_MODULE = 'tb';
export const TESTBENCH_FILE = `tb/${TESTBENCH_MODULE}.v`;
/** Units with a fixed name: the top level and the place-and-route harness. */
export const TOP_UNIT = 'top';
export const PNR_UNIT = 'pnr_top';
/** Prefix of the units of model layers. */
export const LAYER_UNIT_PREFIX = 'layer_';
/** Stages bnn-hw adds after the last layer (not model layers): their unit is their name. */
export const STAGE_UNITS = ['argmax'] as const;
export type StageUnit = (typeof STAGE_UNITS)[number];
/** Read-only memories of a wrapper, each one image file (rank tables: one per lane, rank<k>). */
export const ROM_NAMES = ['weights', 'thresholds', 'rank'] as const;
export type RomName = 'weights' | 'thresholds' | `rank${number}`;
/** Prefix of every instance name (units in the top level, blocks and ROMs in a wrapper). */
export const INSTANCE_PREFIX = 'u_';

/** The invariants the uniqueness argument above needs from the table (run once, at import). */
function checkTable(): void {
  const fixed = [TOP_UNIT, PNR_UNIT, ...STAGE_UNITS];
  const ok =
    new Set(fixed.map((u) => u.toLowerCase())).size === fixed.length &&
    fixed.every((u) => !u.toLowerCase().startsWith(LAYER_UNIT_PREFIX) && IDENT.test(u)) &&
    ROM_NAMES.every((r) => !r.includes('_')) &&
    !TESTBENCH_MODULE.includes('_') &&
    // M_<unit> and u_<...> are never (System)Verilog keywords such as always_ff or join_none
    [...KEYWORDS].every((k) => !k.startsWith(INSTANCE_PREFIX) && !fixed.includes(k.slice(k.indexOf('_') + 1)) && !k.includes(`_${LAYER_UNIT_PREFIX}`));
  if (!ok) throw new Error('internal: the generated-name table breaks its own uniqueness rules');
}
checkTable();

/** null when `name` is fine as a model name beyond identifierProblem, else the reason it is refused. */
export function modelNameProblem(name: string): string | null {
  const lower = name.toLowerCase();
  if (lower === LIBRARY_STEM || lower.startsWith(LIBRARY_PREFIX)) {
    const example = `${name}_${TOP_UNIT}`;
    return `its modules and files (${example}, rtl/${example}.v, ...) would start with the library prefix ${LIBRARY_PREFIX}` +
      (lower === name ? '' : ' on case-insensitive file systems');
  }
  return null;
}

/** The library module of a block kind (dwc, fifo, mvtu, ...). */
export const libraryModule = (kind: string): string => `${LIBRARY_PREFIX}${kind}`;
export const topModule = (model: string): string => `${model}_${TOP_UNIT}`;
export const pnrModule = (model: string): string => `${model}_${PNR_UNIT}`;
export const layerUnit = (layer: string): string => `${LAYER_UNIT_PREFIX}${layer}`;
export const stageUnit = (stage: StageUnit): string => stage;
/** The wrapper module of a unit (a layer's or a stage's). */
export const unitModule = (model: string, unit: string): string => `${model}_${unit}`;
/** The instance of a unit's wrapper in the top level. */
export const unitInstance = (unit: string): string => `${INSTANCE_PREFIX}${unit}`;
/** The instance of a library block (dwc, fifo, mvtu, ...) or of a ROM inside a wrapper. */
export const blockInstance = (what: string): string => `${INSTANCE_PREFIX}${what}`;
/** The image file of one ROM of a wrapper, relative to mem/. */
export const memFile = (wrapper: string, rom: RomName): string => `${wrapper}_${rom}.mem`;
export const rtlFile = (module: string): string => `rtl/${module}.v`;
export const flowFile = (module: string): string => `flows/${module}.v`;

/**
 * A set of names that must stay distinct, also ignoring case (file names on case-insensitive file
 * systems). A clash is a bug in the naming scheme above, so it is an internal error.
 */
export class NameSet {
  private readonly seen = new Map<string, string>();
  constructor(private readonly what: string) {}
  add(name: string): string {
    const prev = this.seen.get(name.toLowerCase());
    if (prev !== undefined) throw new Error(`internal: generated ${this.what} "${name}" collides with "${prev}"`);
    this.seen.set(name.toLowerCase(), name);
    return name;
  }
}
