/**
 * Tool flow files in every generated design (flows/): Vivado non-project Tcl + XDC, Yosys scripts,
 * Makefile and the estimate that `bnn-hw synth` compares with. Checked as text (Vivado is not
 * installed here); emission stays deterministic.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadModelFile } from '../../src/frontend/load.js';
import { buildDesign } from '../../src/flows/build.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TFC_FOLD = fileURLToPath(new URL('../../../shared/foldings/finn-tfc-w1a1_folding_config.json', import.meta.url));

describe('flows/ of a generated design', () => {
  const model = loadModelFile(`${ROOT}/examples/tfc.json`);
  const built = buildDesign(model, { fold: TFC_FOLD });
  const f = built.files;
  const rtl = [...f.keys()].filter((k) => k.startsWith('rtl/')).sort();
  const mems = [...f.keys()].filter((k) => k.startsWith('mem/'));

  it('has the Vivado script, XDC, Yosys scripts, Makefile and estimate', () => {
    for (const k of ['flows/vivado.tcl', 'flows/clock.xdc', 'flows/synth_xilinx.ys', 'flows/synth_ice40.ys', 'flows/pnr_ice40.ys', 'flows/tfc_pnr_top.v', 'flows/Makefile', 'flows/estimate.json', 'flows/sources.f']) {
      expect(f.has(k), k).toBe(true);
    }
    const manifest = JSON.parse(f.get('manifest.json') as string) as { files: string[] };
    expect(manifest.files).toContain('flows/vivado.tcl');
  });

  it('vivado.tcl: non-project flow reading every source and memory file, synth for a part, optional place / route, reports', () => {
    const t = f.get('flows/vivado.tcl')!;
    for (const r of rtl) expect(t).toContain(`read_verilog ${r}\n`);
    for (const m of mems) expect(t).toContain(`read_mem ${m}\n`);
    expect(t).toContain('read_xdc -mode out_of_context flows/clock.xdc');
    expect(t).toMatch(/synth_design -top tfc_top -part \$part/);
    expect(t).toContain('set part      "xc7z020clg400-1"');
    expect(t).toMatch(/if \{\$impl\} \{[\s\S]*opt_design[\s\S]*place_design[\s\S]*route_design/);
    expect(t).toContain('report_utilization -hierarchical');
    expect(t).toContain('report_timing_summary');
    expect(t).not.toMatch(/create_project|launch_runs/);
  });

  it('clock.xdc constrains clk at the default 100 MHz', () => {
    expect(f.get('flows/clock.xdc')).toContain('create_clock -name clk -period 10.000 [get_ports clk]');
  });

  it('Yosys scripts keep one module per layer and read the design from its own folder', () => {
    const y = f.get('flows/synth_xilinx.ys')!;
    expect(y).toContain(`read_verilog -defer ${rtl.join(' ')}`);
    expect(y).toContain('hierarchy -check -top tfc_top');
    for (const m of ['layer_in_sign', 'layer_fc0', 'layer_fc1', 'layer_fc2', 'layer_fc3', 'argmax']) expect(y).toContain(`setattr -mod -set keep_hierarchy 1 tfc_${m}\n`);
    expect(y).toContain('setattr -set keep_hierarchy 1 tfc_layer_fc1/u_dwc');
    expect(y).toContain('synth_xilinx -noiopad -flatten -top tfc_top');
    expect(y).toContain('tee -q -o build/yosys-xilinx/stat.json stat -json');
    expect(f.get('flows/synth_ice40.ys')).toContain('synth_ice40 -top tfc_top');
    const p = f.get('flows/pnr_ice40.ys')!;
    expect(p).toContain('synth_ice40 -top tfc_pnr_top');
    expect(p).toContain('write_json build/pnr-ice40/pnr.json');
    expect(f.get('flows/tfc_pnr_top.v')).toMatch(/tfc_top u_dut/);
  });

  it('Makefile drives Yosys, nextpnr-ice40 + icepack and Vivado', () => {
    const m = f.get('flows/Makefile')!;
    for (const t of ['yosys-xilinx:', 'yosys-ice40:', 'pnr-ice40:', 'vivado:', 'vivado-impl:', 'clean:']) expect(m).toContain(t);
    expect(m).toContain('-s flows/synth_xilinx.ys');
    expect(m).toContain('--freq $(CLOCK_MHZ)');
    expect(m).toContain('$(ICEPACK) pnr.asc pnr.bin');
    expect(m).toContain('-source flows/vivado.tcl -tclargs $(PART) $(CLOCK_MHZ) 1');
  });

  it('estimate.json holds per-layer estimates for both fabrics', () => {
    const e = JSON.parse(f.get('flows/estimate.json') as string) as Record<string, { layers: { name: string; lut: number }[] }>;
    expect(e['xilinx']!.layers.map((l) => l.name)).toEqual(['in_sign', 'fc0', 'fc1', 'fc2', 'fc3', 'argmax']);
    expect(e['ice40']!.layers.every((l) => l.lut > 0)).toBe(true);
  });

  it('emission is deterministic', () => {
    const again = buildDesign(model, { fold: TFC_FOLD }).files;
    for (const k of [...f.keys()].filter((x) => x.startsWith('flows/'))) expect(again.get(k), k).toBe(f.get(k));
  });
});
