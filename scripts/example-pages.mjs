// The "## Hardware" section of an example page: written by scripts/example-hardware.mjs from the real
// commands' output, kept by scripts/make-examples.mjs when it regenerates the rest of the page.

export const HARDWARE_HEADING = '## Hardware';

/** The page's hardware section (from its heading to the end), or '' when it has none. */
export function hardwareSection(/** @type {string} */ page) {
  const at = page.indexOf(`\n${HARDWARE_HEADING}\n`);
  return at < 0 ? '' : page.slice(at + 1);
}

/** The page with its hardware section replaced by (or extended with) `section`. */
export function withHardware(/** @type {string} */ page, /** @type {string} */ section) {
  const old = hardwareSection(page);
  const base = old ? page.slice(0, page.length - old.length) : page.endsWith('\n') ? page : `${page}\n`;
  return section ? `${base.replace(/\n*$/, '\n\n')}${section}` : base;
}
