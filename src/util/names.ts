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
  if (name.startsWith('bnn_')) return 'the prefix bnn_ is reserved for library modules';
  return null;
}

/** A safe identifier close to `name`, offered in hints. */
export function suggestIdentifier(name: string): string {
  let s = name.normalize('NFKD').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').replace(/__+/g, '_');
  while (s.startsWith('bnn_')) s = s.slice(4);
  if (s === '') return 'model';
  if (!/^[A-Za-z]/.test(s)) s = 'm_' + s;
  s = s.slice(0, MAX_NAME_LENGTH).replace(/_+$/, '');
  if (KEYWORDS.has(s)) s = s.slice(0, MAX_NAME_LENGTH - 4) + '_net';
  return s;
}
