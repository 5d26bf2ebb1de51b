/**
 * Pareto chart of a model's folding space: frames per second against estimated LUTs (log-log),
 * as a standalone SVG or an HTML page with the chart and a table. Hand-written SVG, no dependencies.
 */
import type { ParetoPoint } from './search.js';

export interface ChartInfo {
  model: string;
  fabric: string;
  clockMhz: number;
  device: { name: string; lut: number } | null;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number) => (v >= 1e6 ? `${(v / 1e6).toPrecision(3)}M` : v >= 1e3 ? `${(v / 1e3).toPrecision(3)}k` : v.toPrecision(3));

function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

export function paretoSvg(pts: ParetoPoint[], info: ChartInfo): string {
  const W = 760;
  const H = 480;
  const m = { l: 80, r: 30, t: 50, b: 60 };
  const luts = pts.map((p) => p.lut);
  const fpss = pts.map((p) => p.fps);
  if (info.device) luts.push(info.device.lut);
  const x0 = Math.log10(Math.max(1, Math.min(...luts)) / 1.5);
  const x1 = Math.log10(Math.max(...luts) * 1.5);
  const y0 = Math.log10(Math.max(1e-3, Math.min(...fpss)) / 1.5);
  const y1 = Math.log10(Math.max(...fpss) * 1.5);
  const X = (v: number) => m.l + ((Math.log10(v) - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (v: number) => H - m.b - ((Math.log10(v) - y0) / (y1 - y0)) * (H - m.t - m.b);
  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  o.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="white"/>`);
  o.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(info.model)}: frames per second vs. estimated LUTs (${esc(info.fabric)}, ${info.clockMhz} MHz)</text>`);
  for (const d of decades(10 ** x0, 10 ** x1)) {
    if (Math.log10(d) < x0 || Math.log10(d) > x1) continue;
    o.push(`<line x1="${X(d).toFixed(1)}" y1="${m.t}" x2="${X(d).toFixed(1)}" y2="${H - m.b}" stroke="#ddd"/>`);
    o.push(`<text x="${X(d).toFixed(1)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(d)}</text>`);
  }
  for (const d of decades(10 ** y0, 10 ** y1)) {
    if (Math.log10(d) < y0 || Math.log10(d) > y1) continue;
    o.push(`<line x1="${m.l}" y1="${Y(d).toFixed(1)}" x2="${W - m.r}" y2="${Y(d).toFixed(1)}" stroke="#ddd"/>`);
    o.push(`<text x="${m.l - 6}" y="${(Y(d) + 4).toFixed(1)}" text-anchor="end">${fmt(d)}</text>`);
  }
  o.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#333"/>`);
  o.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 18}" text-anchor="middle">LUTs (estimate)</text>`);
  o.push(`<text x="18" y="${(m.t + H - m.b) / 2}" text-anchor="middle" transform="rotate(-90 18 ${(m.t + H - m.b) / 2})">frames per second</text>`);
  if (info.device) {
    const x = X(info.device.lut).toFixed(1);
    o.push(`<line x1="${x}" y1="${m.t}" x2="${x}" y2="${H - m.b}" stroke="#c00" stroke-dasharray="5,4"/>`);
    o.push(`<text x="${x}" y="${m.t - 6}" text-anchor="middle" fill="#c00">${esc(info.device.name)} (${fmt(info.device.lut)} LUT)</text>`);
  }
  const front = pts.filter((p) => p.pareto).sort((a, b) => a.lut - b.lut);
  if (front.length > 1) o.push(`<polyline fill="none" stroke="#06c" stroke-width="1.5" points="${front.map((p) => `${X(p.lut).toFixed(1)},${Y(p.fps).toFixed(1)}`).join(' ')}"/>`);
  for (const p of pts) {
    const col = p.fits === false ? '#c00' : p.pareto ? '#06c' : '#999';
    const tip = `${fmt(p.fps)} fps, ${p.lut} LUT, ${p.cyclesPerFrame} cycles/frame, (PE,SIMD) ${p.folding.map((f) => `(${f.pe},${f.simd})`).join(' ')}`;
    o.push(`<circle cx="${X(p.lut).toFixed(1)}" cy="${Y(p.fps).toFixed(1)}" r="${p.pareto ? 4 : 3}" fill="${col}"><title>${esc(tip)}</title></circle>`);
  }
  o.push(`<text x="${W - m.r - 4}" y="${m.t + 16}" text-anchor="end" fill="#06c">blue: Pareto front (fewest LUTs for the rate)</text>`);
  if (info.device) o.push(`<text x="${W - m.r - 4}" y="${m.t + 32}" text-anchor="end" fill="#c00">red: does not fit ${esc(info.device.name)}</text>`);
  o.push('</svg>');
  return o.join('\n') + '\n';
}

export function paretoHtml(pts: ParetoPoint[], info: ChartInfo): string {
  const rows = [...pts]
    .sort((a, b) => b.fps - a.fps)
    .map((p) => `<tr${p.pareto ? ' class="front"' : ''}><td>${p.cyclesPerFrame}</td><td>${fmt(p.fps)}</td><td>${p.lut}</td><td>${p.ff}</td><td>${info.fabric === 'ice40' ? p.ebr : p.bram18}</td><td>${p.fits === null ? '' : p.fits ? 'yes' : 'no'}</td><td>${p.folding.map((f) => `(${f.pe},${f.simd})`).join(' ')}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(info.model)} folding Pareto chart</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}tr.front{background:#e8f0ff}</style></head>
<body>
<h1>${esc(info.model)}: rate vs. LUTs</h1>
<p>Least-LUT folding (bnn-hw estimate, ${esc(info.fabric)} fabric) for each reachable cycles-per-frame target at ${info.clockMhz} MHz${info.device ? `; fit checked against ${esc(info.device.name)}` : ''}. Highlighted rows are on the Pareto front.</p>
${paretoSvg(pts, info)}
<table><tr><th>cycles/frame</th><th>fps</th><th>LUT</th><th>FF</th><th>${info.fabric === 'ice40' ? 'EBR' : 'BRAM18'}</th><th>fits</th><th>(PE,SIMD) per layer</th></tr>
${rows}
</table>
</body></html>
`;
}
