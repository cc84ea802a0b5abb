#!/usr/bin/env node
// Typeset TeX formulas to SVG with MathJax (the pinned `mathjax-full` package),
// in one process for a whole build, so pages ship no MathJax runtime.
//
// stdin : JSON array of {"tex": string, "display": boolean}
// stdout: JSON {"version", "css", "results": [{"html": string|null, "error": string|null}]}
//
// Each result's `html` is an <mjx-container> holding the SVG (aria-hidden) and an
// <mjx-assistive-mml> copy of the formula as MathML for screen readers.
// Errors are never rendered into the page: `noerrors`/`noundefined` are left out
// and formatError rethrows, so a bad formula comes back as `error` and the
// Python side stops the build naming file and line.
//
// Usage: node scripts/tex2svg.mjs < formulas.json
import { readFileSync } from 'node:fs';
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { liteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import { AssistiveMmlHandler } from 'mathjax-full/js/a11y/assistive-mml.js';
import { AllPackages } from 'mathjax-full/js/input/tex/AllPackages.js';

if (process.argv.includes('--help')) {
  console.log('usage: node scripts/tex2svg.mjs < formulas.json  (see the header of this file)');
  process.exit(0);
}

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

// Packages that hide errors, or need the network/async loading, are left out.
const EXCLUDED = new Set(['noerrors', 'noundefined', 'autoload', 'require', 'bussproofs']);
const tex = new TeX({
  packages: AllPackages.filter((name) => !EXCLUDED.has(name)),
  formatError(_jax, err) { throw err; },
});
// fontCache 'local': each formula carries the glyph paths it uses, so a formula
// is self-contained (cacheable by its TeX) and no font file is ever fetched.
const svg = new SVG({ fontCache: 'local' });
const doc = mathjax.document('', { InputJax: tex, OutputJax: svg });

const items = JSON.parse(readFileSync(0, 'utf8'));
const results = items.map(({ tex: source, display }) => {
  try {
    const node = doc.convert(source, { display: Boolean(display), em: 16, ex: 8, containerWidth: 1280 });
    return { html: adaptor.outerHTML(node), error: null };
  } catch (err) {
    return { html: null, error: String(err && err.message ? err.message : err) };
  }
});
const css = adaptor.textContent(svg.styleSheet(doc));
process.stdout.write(JSON.stringify({ version: mathjax.version, css, results }));
