// What a reader would see is broken on the page in view: one function, evaluated in
// the page by tests/test_viewports.py (and so also by anyone debugging a layout).
// Returns a list of human-readable problems; an empty list means the page is fine.
//
// - Every formula and figure is drawn at its natural size (the size its SVG asks
//   for), or, if wider than the column, sits in a box that scrolls sideways.
// - The page itself never scrolls sideways.
// - On touch screens, every tap target is at least 24 × 24 CSS px, except links
//   inside running text (WCAG 2.5.8's inline exception).
// - No running text is squeezed into a narrow column: an element whose own text
//   (its direct text nodes) runs over several lines in a box much narrower than
//   the content column, whatever the element (a caption, a cell, a paragraph).
({ touch, width }) => {
  const problems = [];
  const where = (el) => {
    const h = el.closest("h1,h2,h3,h4,section,article,div[id],p");
    const label = el.getAttribute("aria-label") || el.textContent.trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${label ? ` "${label}"` : ""}${h && h.id ? ` near #${h.id}` : ""}`;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  };

  // The length of one `ex` where the SVG is, to read MathJax's `width="12.3ex"`.
  const exOf = (el) => {
    const probe = document.createElement("span");
    probe.style.cssText = "position:absolute;visibility:hidden;width:100ex;height:0;";
    el.parentNode.appendChild(probe);
    const ex = probe.getBoundingClientRect().width / 100;
    probe.remove();
    return ex;
  };
  const naturalWidth = (svg) => {
    const w = svg.getAttribute("width") || "";
    const m = w.match(/^([\d.]+)(ex|px)?$/);
    if (!m) return null;
    return m[2] === "ex" ? parseFloat(m[1]) * exOf(svg) : parseFloat(m[1]);
  };
  const scrollsSideways = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox === "auto" || ox === "scroll") return a.scrollWidth > a.clientWidth;
    }
    return false;
  };
  const clippedBy = (el) => {
    const r = el.getBoundingClientRect();
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox === "auto" || ox === "scroll") return null; // reachable by scrolling
      if ((ox === "hidden" || ox === "clip") && r.right > a.getBoundingClientRect().right + 1) return a;
    }
    return null;
  };

  for (const svg of document.querySelectorAll(".md-content mjx-container > svg, .md-content figure svg")) {
    if (!svg.closest("details:not([open])") && !visible(svg)) {
      problems.push(`formula/figure not drawn: ${where(svg)}`);
      continue;
    }
    if (svg.closest("details:not([open])")) continue;
    const natural = naturalWidth(svg);
    const r = svg.getBoundingClientRect();
    const text = svg.closest("mjx-container")?.getAttribute("data-tex") || where(svg);
    if (natural && r.width < natural * 0.98 - 1) {
      problems.push(`drawn at ${r.width.toFixed(0)} px instead of ${natural.toFixed(0)} px: ${text}`);
    }
    const column = document.querySelector(".md-content").getBoundingClientRect();
    if (r.right > column.right + 1 && !scrollsSideways(svg)) {
      problems.push(`wider than the column and not in a scroll box: ${text}`);
    }
    const clip = clippedBy(svg);
    if (clip) problems.push(`cut off by an overflow:hidden box (${clip.className}): ${text}`);
  }

  const doc = document.documentElement;
  // Compared with the window the test asked for: a mobile browser widens its layout
  // viewport (window.innerWidth) to fit content that overflows.
  if (doc.scrollWidth > width + 1) {
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && visible(el))
      .filter((el) => !el.parentElement.closest("[style*=overflow], .arithmatex, .md-typeset__scrollwrap"))
      .slice(0, 3)
      .map(where);
    problems.push(`page scrolls sideways: ${doc.scrollWidth} px wide in a ${width} px window (${wide.join("; ")})`);
  }

  // Squeezed text: own text of at least SQUEEZE_CHARS characters, laid out in at least
  // SQUEEZE_LINES lines in a box narrower than SQUEEZE_SHARE of the content column and
  // than SQUEEZE_EM of its own font size (a CJK character is 1 em wide: fewer than five
  // characters a line). A table cell of a many-column table on a wide screen, 5 to 7
  // characters a line, is narrow but readable; a phone caption two characters wide is not.
  const SQUEEZE_CHARS = 8, SQUEEZE_LINES = 4, SQUEEZE_SHARE = 0.25, SQUEEZE_EM = 5;
  const content = document.querySelector(".md-content");
  const columnWidth = content ? content.getBoundingClientRect().width : width;
  for (const el of content ? content.querySelectorAll("*") : []) {
    if (!(el instanceof HTMLElement) || el.closest("svg, mjx-container")) continue;
    const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const text = own.map((n) => n.textContent.trim()).join("");
    if (text.length < SQUEEZE_CHARS || !visible(el)) continue;
    const box = el.getBoundingClientRect();
    const em = parseFloat(getComputedStyle(el).fontSize);
    if (box.width >= columnWidth * SQUEEZE_SHARE || box.width >= em * SQUEEZE_EM) continue;
    const tops = new Set();
    for (const node of own) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    if (tops.size >= SQUEEZE_LINES) {
      problems.push(
        `text squeezed into a ${box.width.toFixed(0)} px column (${(box.width / em).toFixed(1)} em, ${tops.size} lines, ` +
          `${box.height.toFixed(0)} px tall, column ${columnWidth.toFixed(0)} px): ${where(el)}`,
      );
    }
  }

  if (touch) {
    const targets = document.querySelectorAll("a[href], button, input, select, summary, label[for], [tabindex='0']");
    for (const el of targets) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right <= 0 || r.left >= width) continue; // off-canvas drawer, not on screen
      const style = getComputedStyle(el);
      const inText = style.display === "inline" && el.parentElement.closest("p, li, td, th, dt, dd, blockquote, figcaption, sup, caption, small, h1, h2, h3, h4, summary");
      if (inText) continue;
      if (r.width < 24 - 0.5 || r.height < 24 - 0.5) {
        problems.push(`tap target ${r.width.toFixed(0)}×${r.height.toFixed(0)} px: ${where(el)}`);
      }
    }
  }
  return problems;
}
