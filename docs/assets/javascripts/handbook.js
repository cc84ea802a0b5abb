/* Reader features on top of mkdocs-material, progressive enhancement only:
 * without JavaScript every page is complete and every link works.
 *  - "copy link" button on each answer section (full URL with its #anchor)
 *  - interview mode: hide the answers to quiz yourself (remembered per browser)
 *  - "随机一题": jump to a random question (list fetched only on click)
 *  - glossary terms: tap, click or keyboard focus shows the definition and a link
 *    (one delegated listener at load; the link list is fetched on first use)
 */
(function () {
  "use strict";
  // material's search overlay is role="dialog" without a name (axe: aria-dialog-name).
  var search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "搜索");
  // Likewise the page's tag list is an unnamed <nav> (axe: landmark-unique).
  document.querySelectorAll("nav.md-tags:not([aria-label])").forEach(function (nav) {
    nav.setAttribute("aria-label", "本页标签");
  });

  /* Light/dark toggle (overrides/partials/palette.html says why it is not material's
   * component). Clicking a label checks the next palette's radio input. */
  var paletteForm = document.querySelector("form[data-handbook-palette]");
  if (paletteForm) {
    var paletteInputs = Array.prototype.slice.call(paletteForm.querySelectorAll("input"));
    var applyPalette = function (input) {
      var index = paletteInputs.indexOf(input);
      var color = {};
      // As material does: no colour transitions while the whole page changes palette.
      document.body.setAttribute("data-md-color-switching", "");
      ["media", "scheme", "primary", "accent"].forEach(function (key) {
        color[key] = input.getAttribute("data-md-color-" + key);
        document.body.setAttribute("data-md-color-" + key, color[key]);
      });
      paletteInputs.forEach(function (other, i) {
        var label = other.nextElementSibling;
        if (label && label.tagName === "LABEL") label.hidden = i !== index;
      });
      __md_set("__palette", { index: index, color: color });
      window.requestAnimationFrame(function () {
        document.body.removeAttribute("data-md-color-switching");
      });
    };
    paletteInputs.forEach(function (input) {
      input.addEventListener("change", function () { if (input.checked) applyPalette(input); });
    });
    // Keyboard: Enter on the focused option moves to the next palette (material's behaviour).
    paletteForm.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var current = paletteInputs.findIndex(function (input) { return input.checked; });
      var next = paletteInputs[(current + 1) % paletteInputs.length];
      next.click();
      next.focus();
    });
  }

  /* Glossary terms (<abbr tabindex="0" title="…">, macros/data/glossary.py). A
   * title alone shows nothing on a phone, so a small popover follows the term in the
   * DOM (its link is next in tab order) and closes on Escape or a tap elsewhere. */
  var tip = null;
  var glossaryLinks = null;
  var siteBase = function () {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), location.href);
  };
  var hideTip = function () {
    if (!tip) return;
    if (tip.previousElementSibling) tip.previousElementSibling.removeAttribute("aria-describedby");
    tip.remove();
    tip = null;
  };
  var showTip = function (abbr) {
    if (tip && tip.previousElementSibling === abbr) return;
    hideTip();
    var term = abbr.textContent;
    tip = document.createElement("span");
    tip.className = "glossary-tip";
    tip.id = "glossary-tip";
    tip.setAttribute("role", "tooltip");
    tip.textContent = term + "：" + abbr.getAttribute("title");
    abbr.after(tip);
    abbr.setAttribute("aria-describedby", tip.id);
    var r = abbr.getBoundingClientRect();
    var box = (tip.offsetParent || document.body).getBoundingClientRect();
    var width = tip.getBoundingClientRect().width;
    var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - width - 8));
    tip.style.left = left - box.left + "px";
    tip.style.top = r.bottom - box.top + 4 + "px";
    var shown = tip;
    if (!glossaryLinks) {
      var base = siteBase();
      glossaryLinks = fetch(new URL("assets/glossary.json", base))
        .then(function (response) { return response.json(); })
        .then(function (links) { return { base: base, links: links }; })
        .catch(function () { return { base: base, links: {} }; });
    }
    glossaryLinks.then(function (data) {
      var entry = data.links[term];
      if (!entry || tip !== shown) return;
      var link = document.createElement("a");
      link.href = new URL(entry.url, data.base).href;
      link.textContent = "详见：" + entry.title;
      tip.appendChild(document.createElement("br"));
      tip.appendChild(link);
    });
  };
  document.addEventListener("click", function (event) {
    var abbr = event.target.closest && event.target.closest("abbr[title]");
    if (abbr) showTip(abbr);
    else if (!(event.target.closest && event.target.closest(".glossary-tip"))) hideTip();
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("abbr[title]")) showTip(event.target);
    else if (tip && !tip.contains(event.target)) hideTip();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hideTip();
  });

  /* material wraps each Markdown table in a box that scrolls sideways when the table
   * is wider than the column (a table with formulas on a phone); keyboard users need
   * to reach that box. No layout is read: every box just becomes focusable. */
  var focusableTables = function () {
    document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(function (box) {
      box.tabIndex = 0;
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusableTables);
  else focusableTables();

  var article = document.querySelector("article.md-content__inner");
  if (!article) return;

  var live = document.createElement("div");
  live.className = "md-visually-hidden";
  live.setAttribute("aria-live", "polite");
  document.body.appendChild(live);

  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for plain-http hosts, where the async clipboard API is unavailable.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }

  /* Copy-link buttons (rendered into each h2/h3 by macros/stages/pagehtml.py). */
  article.querySelectorAll("h2[id] > button.copy-link, h3[id] > button.copy-link").forEach(function (button) {
    var heading = button.parentElement;
    button.addEventListener("click", function () {
      var url = location.origin + location.pathname + "#" + heading.id;
      copyText(url).then(function () {
        button.dataset.copied = "true";
        announce("已复制链接：" + url);
        window.setTimeout(function () { delete button.dataset.copied; }, 1500);
      });
    });
  });

  /* Interview mode, on question pages (those with a 30-second answer). */
  var shortAnswer = article.querySelector("h2#short-answer");
  if (shortAnswer && article.querySelector("button.interview-toggle")) {
    var KEY = "handbook.interview";
    var sections = {};
    article.querySelectorAll("h2[id]").forEach(function (h2) {
      var nodes = [];
      for (var n = h2.nextElementSibling; n && n.tagName !== "H2"; n = n.nextElementSibling) {
        if (!n.classList.contains("question-links")) nodes.push(n);
      }
      sections[h2.id] = nodes;
    });
    var hidden = (sections["short-answer"] || [])
      .concat(sections["explanation"] || [], sections["misconceptions"] || []);

    // Both buttons are in the HTML already (no layout shift): see macros/stages/pagehtml.py.
    var toggle = article.querySelector("button.interview-toggle");
    var reveal = article.querySelector("button.interview-reveal");

    function apply(on) {
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.textContent = on ? "退出面试模式" : "面试模式：先自己答";
      hidden.forEach(function (node) { node.hidden = on; });
      reveal.hidden = !on;
      document.body.dataset.interview = on ? "on" : "off";
    }
    toggle.addEventListener("click", function () {
      var on = toggle.getAttribute("aria-pressed") !== "true";
      try { localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode */ }
      apply(on);
    });
    reveal.addEventListener("click", function () {
      hidden.forEach(function (node) { node.hidden = false; });
      reveal.hidden = true;
    });
    var stored = null;
    try { stored = localStorage.getItem(KEY); } catch (e) { /* private mode */ }
    apply(stored === "on");
  }

  /* Random question. */
  document.querySelectorAll("a.random-question[data-questions]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var listUrl = new URL(link.dataset.questions, location.href);
      fetch(listUrl).then(function (r) { return r.json(); }).then(function (urls) {
        var root = new URL("../", listUrl);
        var here = location.pathname;
        var choices = urls.filter(function (u) { return new URL(u, root).pathname !== here; });
        var pick = choices[Math.floor(Math.random() * choices.length)];
        location.href = new URL(pick, root).href;
      }).catch(function () { location.href = link.href; });
    });
  });
})();
