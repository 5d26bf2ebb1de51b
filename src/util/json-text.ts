/**
 * JSON text: short values on one line, long arrays of numbers on one compact line, the rest indented
 * (the example files and `import` output are written this way so they stay readable in a diff).
 */
export function formatJson(v: unknown, indent = ''): string {
  const inline = inlineJson(v);
  if (inline.length + indent.length <= 100) return inline;
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object')) return JSON.stringify(v);
    const inner = indent + '  ';
    return `[\n${v.map((x) => inner + formatJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (v !== null && typeof v === 'object') {
    const inner = indent + '  ';
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${formatJson(x, inner)}`).join(',\n')}\n${indent}}`;
  }
  return inline;
}

function inlineJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inlineJson).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inlineJson(x)}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}
