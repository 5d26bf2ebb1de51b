/**
 * The names a generated design declares, read back from its files (not from the emitter's tables):
 * module declarations, instances (module and instance name), wires, ports and $readmemh files.
 * Written for the layout of templates/rtl/module.v.hbs and the flow / testbench templates.
 */

export interface ModuleNames {
  file: string;
  module: string;
  ports: string[];
  wires: string[];
  instances: { module: string; inst: string }[];
  /** "mem/..." strings (FILE / TFILE parameters) */
  memFiles: string[];
}

const strip = (text: string) => text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');

/** Every module declared in a Verilog text, with what it declares inside. */
export function modulesOf(file: string, text: string): ModuleNames[] {
  const out: ModuleNames[] = [];
  const body = strip(text);
  for (const m of body.matchAll(/^\s*module\s+(\w+)([\s\S]*?)^\s*endmodule/gm)) {
    const src = m[2]!;
    const ports = [...src.matchAll(/\b(?:input|output|inout)\s+(?:wire|reg)?\s*(?:signed\s*)?(?:\[[^\]]*\]\s*)?(\w+)/g)].map((x) => x[1]!);
    const wires = [...src.matchAll(/^\s*(?:wire|reg)\s+(?:signed\s*)?(?:\[[^\]]*\]\s*)?(\w+)\s*[;=]/gm)].map((x) => x[1]!);
    const instances = [
      ...[...src.matchAll(/^\s*(\w+)\s*#\([\s\S]*?\)\s*(\w+)\s*\(/gm)].map((x) => ({ module: x[1]!, inst: x[2]! })),
      ...[...src.matchAll(/^\s*(\w+)\s+(\w+)\s*\(/gm)].filter((x) => !/^(module|input|output|wire|reg|assign|always|initial|if|for|begin)$/.test(x[1]!)).map((x) => ({ module: x[1]!, inst: x[2]! })),
    ];
    const memFiles = [...src.matchAll(/"(mem\/[^"]+)"/g)].map((x) => x[1]!);
    out.push({ file, module: m[1]!, ports, wires, instances, memFiles });
  }
  return out;
}

/** Files of a design: text, or bytes (the weight ROM images). */
export type DesignFileMap = ReadonlyMap<string, string | Uint8Array>;

export function allModules(files: DesignFileMap): ModuleNames[] {
  return [...files].filter(([f]) => f.endsWith('.v')).flatMap(([f, t]) => modulesOf(f, String(t)));
}

/** Repeated entries of a list, compared ignoring case (file systems) or exactly. */
export function duplicates(names: readonly string[], ignoreCase = true): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) {
    const k = ignoreCase ? n.toLowerCase() : n;
    if (seen.has(k)) dup.add(n);
    seen.add(k);
  }
  return [...dup];
}

/** Identifiers of a name split at `_`: every tail ("a_b_c" -> a_b_c, b_c, c). */
export function tails(name: string): string[] {
  const parts = name.split('_');
  return parts.map((_, i) => parts.slice(i).join('_')).filter((s) => /^[A-Za-z]/.test(s));
}
