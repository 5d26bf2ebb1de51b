/**
 * Directory layering of src/ (docs/architecture.md), checked by `npm run deps` and by
 * test/architecture/deps.test.ts. A directory may import the directories of the levels before its own;
 * directories of one level do not import each other unless SAME_LEVEL says so. So the directory graph
 * has no cycle, sim / emit / estimate never import each other, and nothing imports cli/.
 */
const LEVELS = [
  ['util', 'diagnostics'],
  ['ir'],
  ['frontend'],
  ['reference'],
  ['blocks'],
  ['passes'],
  ['sim', 'emit', 'estimate'],
  ['flows'],
  ['api'],
  // example and model generators: may import anything but cli/
  ['examples'],
  ['cli'],
];

/** Imports allowed between directories of one level. */
const SAME_LEVEL = { util: ['diagnostics'] };

const rules = [];
LEVELS.forEach((level, i) => {
  const below = LEVELS.slice(0, i).flat();
  for (const dir of level) {
    const allowed = [dir, ...below, ...(SAME_LEVEL[dir] ?? [])];
    rules.push({
      name: `layer-${dir}`,
      comment: `src/${dir}/ may import only ${allowed.filter((d) => d !== dir).join(', ') || 'nothing else under src/'}`,
      severity: 'error',
      from: { path: `^src/${dir}/` },
      to: { path: '^src/[^/]+/', pathNot: `^src/(${allowed.join('|')})/` },
    });
  }
});
// the package root (src/index.ts): the public API, above everything but cli/
rules.push({
  name: 'layer-root',
  comment: 'files directly in src/ (the package entry) may import anything but cli/',
  severity: 'error',
  from: { path: '^src/[^/]+\\.ts$' },
  to: { path: '^src/cli/' },
});
rules.push({
  name: 'not-to-unresolvable',
  comment: 'every import resolves',
  severity: 'error',
  from: { path: '^src/' },
  to: { couldNotResolve: true },
});

module.exports = {
  forbidden: rules,
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    reporterOptions: {
      dot: { collapsePattern: '^src/[^/]+/' },
      archi: { collapsePattern: '^src/[^/]+/' },
    },
  },
};
