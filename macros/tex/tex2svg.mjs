#!/usr/bin/env node
// Typeset TeX formulas to SVG with MathJax (the pinned `mathjax-full` package),
// in one process for a whole build, so pages ship no MathJax runtime.
//
// stdin : JSON array of {"tex": string, "display": boolean}
// stdout: JSON {"version", "css", "results": [{"html": string|null, "error": string|null, "glyphs": {id: d}}]}
//
// Each result's `html` is an <mjx-container> holding the SVG (aria-hidden) and an
// <mjx-assistive-mml> copy of the formula as MathML for screen readers. Glyphs are
// not inlined: the SVG has <use href="#MJX-TEX-…"> and `glyphs` lists the paths it
// needs, so a page defines each glyph once (MathJax's "global" font cache, done
// per page by macros/tex/formulas.py). A formula's output depends only on
// its TeX: results can be cached and builds are reproducible.
// Errors are never rendered into the page: `noerrors`/`noundefined` are left out
// and formatError rethrows, so a bad formula comes back as `error` and the
// Python side stops the build naming file and line.
//
// Usage: node macros/tex/tex2svg.mjs < formulas.json
//        node macros/tex/tex2svg.mjs --stream   (one JSON request per input line, one result
//        per output line, in order; the first output line is {"version", "css"}. The build
//        streams formulas while it is still reading pages, so Node works on the other core.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

// mathjax-full is resolved from the project being built (the working directory:
// macros/tex/mathjax.py starts Node there), not from this file's folder as a static
// `import` would be: the `macros` package can then be installed anywhere and still
// use the project's pinned MathJax.
const require = createRequire(join(process.cwd(), 'package.json'));
const { mathjax } = require('mathjax-full/js/mathjax.js');
const { TeX } = require('mathjax-full/js/input/tex.js');
const { SVG } = require('mathjax-full/js/output/svg.js');
const { liteAdaptor } = require('mathjax-full/js/adaptors/liteAdaptor.js');
const { RegisterHTMLHandler } = require('mathjax-full/js/handlers/html.js');
const { AssistiveMmlHandler } = require('mathjax-full/js/a11y/assistive-mml.js');
const { AllPackages } = require('mathjax-full/js/input/tex/AllPackages.js');

if (process.argv.includes('--help')) {
  console.log('usage: node macros/tex/tex2svg.mjs < formulas.json  (see the header of this file)');
  process.exit(0);
}

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

// Packages that hide errors, or need the network/async loading, are left out; so are
// those that let a formula write markup (links, styles, classes, ids, data attributes,
// tooltips, raw Unicode glyphs): a formula is mathematics (macros/tex/mathscan.py refuses
// these commands with file and line before they get here).
const EXCLUDED = new Set([
  'noerrors', 'noundefined', 'autoload', 'require', 'bussproofs',
  'html', 'unicode', 'bbox', 'action',
]);
const tex = new TeX({
  packages: AllPackages.filter((name) => !EXCLUDED.has(name)),
  formatError(_jax, err) { throw err; },
});
// SVG paths instead of web fonts: no font file is ever fetched, no layout shift.
const svg = new SVG({ fontCache: 'global' });
const doc = mathjax.document('', { InputJax: tex, OutputJax: svg });

// The site's Content-Security-Policy allows no inline style (macros/stages/csp.py). MathJax
// writes two: `position: relative` on the container (a rule in the stylesheet instead)
// and the SVG's `vertical-align`, which becomes a class; macros/tex/mathjax.py writes one
// rule per class the build uses. Any other inline style is left for the build's
// sanitiser to refuse (macros/stages/sanitize.py).
function moveStyles(node) {
  if (adaptor.getAttribute(node, 'style') === 'position: relative;') adaptor.removeAttribute(node, 'style');
  const svgNode = adaptor.firstChild(node);
  const m = /^vertical-align: (-?[\d.]+(?:ex)?);$/.exec(adaptor.getAttribute(svgNode, 'style') || '');
  if (!m) return null;
  const name = 'mjx-va-' + m[1].replace('-', 'm').replace('.', '_');
  adaptor.removeAttribute(svgNode, 'style');
  adaptor.addClass(svgNode, name);
  return { class: name, value: m[1] };
}

function typeset({ tex: source, display }) {
  try {
    svg.fontCache.clearCache(); // collect exactly the glyphs of this formula
    const node = doc.convert(source, { display: Boolean(display), em: 16, ex: 8, containerWidth: 1280 });
    const valign = moveStyles(node);
    const glyphs = {};
    for (const path of adaptor.childNodes(svg.fontCache.getCache())) {
      glyphs[adaptor.getAttribute(path, 'id')] = adaptor.getAttribute(path, 'd');
    }
    return { html: adaptor.outerHTML(node), error: null, glyphs, valign };
  } catch (err) {
    return { html: null, error: String(err && err.message ? err.message : err), glyphs: {}, valign: null };
  }
}

const css = adaptor.textContent(svg.styleSheet(doc));
if (process.argv.includes('--stream')) {
  process.stdout.write(JSON.stringify({ version: mathjax.version, css }) + '\n');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim()) process.stdout.write(JSON.stringify(typeset(JSON.parse(line))) + '\n');
  }
} else {
  const results = JSON.parse(readFileSync(0, 'utf8')).map(typeset);
  process.stdout.write(JSON.stringify({ version: mathjax.version, css, results }));
}
