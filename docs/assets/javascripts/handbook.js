/* Reader features on top of mkdocs-material, progressive enhancement only:
 * without JavaScript every page is complete and every link works.
 *  - "copy link" button on each answer section (full URL with its #anchor)
 *  - interview mode: hide the answers to quiz yourself (remembered per browser)
 *  - "随机一题": jump to a random question (list fetched only on click)
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

  /* Copy-link buttons on every section heading with an id. */
  article.querySelectorAll("h2[id], h3[id]").forEach(function (heading) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link";
    button.setAttribute("aria-label", "复制本节链接");
    button.title = "复制本节链接";
    // An inline icon (material's "link" path): emoji fonts are missing on many systems.
    button.innerHTML = '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">' +
      '<path fill="currentColor" d="M3.9 12c0-1.71 1.39-3.1 3.1-3.1h4V7H7a5 5 0 0 0-5 5 5 5 0 0 0 5 5h4v-1.9H7' +
      'c-1.71 0-3.1-1.39-3.1-3.1M8 13h8v-2H8zm9-6h-4v1.9h4c1.71 0 3.1 1.39 3.1 3.1s-1.39 3.1-3.1 3.1h-4V17h4' +
      'a5 5 0 0 0 5-5 5 5 0 0 0-5-5"/></svg>';
    button.addEventListener("click", function () {
      var url = location.origin + location.pathname + "#" + heading.id;
      copyText(url).then(function () {
        button.dataset.copied = "true";
        announce("已复制链接：" + url);
        window.setTimeout(function () { delete button.dataset.copied; }, 1500);
      });
    });
    heading.appendChild(button);
  });

  /* Interview mode, on question pages (those with a 30-second answer). */
  var shortAnswer = article.querySelector("h2#short-answer");
  if (shortAnswer) {
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

    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "interview-toggle md-button";
    var reveal = document.createElement("button");
    reveal.type = "button";
    reveal.className = "interview-reveal md-button md-button--primary";
    reveal.textContent = "显示答案";

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
    var h1 = article.querySelector("h1");
    (h1 || shortAnswer).insertAdjacentElement("afterend", toggle);
    shortAnswer.insertAdjacentElement("afterend", reveal);
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
