/* Practice mode: the handbook's questions as flash cards, with spaced repetition.
 *
 * On /practice/ (overrides/partials/practice.html) the cards are already in the page:
 * a <template> the build writes from each question page's own 30-second answer and
 * follow-ups (macros/outputs/practice.py), so practising needs no request to any server and,
 * once the page is cached, no network. A card is known by its key (data-card: the id
 * its page was first published under), never by its URL or its wording, so progress
 * survives a moved page or a reworded question.
 *
 * Progress stays in this browser: localStorage, one versioned key (STORE), nothing
 * sent anywhere. It can be exported to a file, imported from one, and reset.
 *
 * On the home page this file only writes the reader's due count into the practice
 * line (macros/outputs/practice.py, home_line).
 */
(function () {
  "use strict";

  var STORE = "handbook.practice.v1";
  var VERSION = 1;

  /* ── The schedule: Leitner boxes ───────────────────────────────────────────
   * Sebastian Leitner, "So lernt man lernen" (Freiburg: Herder, 1972). Cards move
   * through numbered boxes: a card answered right moves up one box, a card answered
   * wrong goes back to the first, and the higher its box, the longer until a card
   * comes back. Here box n comes back after LEITNER_DAYS[n - 1] days, doubling from
   * box to box (the usual reading of Leitner's ever larger compartments). Leitner
   * grades right or wrong; the middle grade is this site's:
   *   会   know   → up one box (box 5 stays in box 5)
   *   模糊 fuzzy  → down one box, never below box 1
   *   不会 forgot → box 1, due again today
   * A card never graded counts as box 1. tests/test_practice.py checks the intervals
   * against this definition. */
  var LEITNER_DAYS = [1, 2, 4, 8, 16];
  var MASTERED_BOX = 4; // "掌握": a card that comes back after 8 days or more

  function leitner(box, grade) {
    var last = LEITNER_DAYS.length;
    var next = grade === "know" ? Math.min(box + 1, last) : grade === "fuzzy" ? Math.max(box - 1, 1) : 1;
    return { box: next, days: grade === "forgot" ? 0 : LEITNER_DAYS[next - 1] };
  }

  var GRADES = { know: "会", fuzzy: "模糊", forgot: "不会" };
  var KEYS = { 1: "know", 2: "fuzzy", 3: "forgot" };

  /* ── Days, in the reader's own time zone, as "YYYY-MM-DD" ── */
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function isoDay(date) { return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()); }
  function today() { return isoDay(new Date()); }
  function addDays(day, n) {
    var p = day.split("-");
    return isoDay(new Date(+p[0], +p[1] - 1, +p[2] + n));
  }
  function shortDay(day) { var p = day.split("-"); return +p[1] + " 月 " + +p[2] + " 日"; }

  /* ── Storage: { version, cards: { key: { box, due, last, reviews, lapses } }, settings } ── */
  function emptyStore() { return { version: VERSION, cards: {}, settings: {} }; }

  // A store read from localStorage or from an imported file; throws with a reason if it is not one.
  function checkStore(data) {
    if (!data || typeof data !== "object" || data.version !== VERSION) {
      throw new Error("这不是本站导出的练习进度（需要 version " + VERSION + "）");
    }
    if (!data.cards || typeof data.cards !== "object" || Array.isArray(data.cards)) {
      throw new Error("文件里没有 cards 记录");
    }
    var cards = {};
    Object.keys(data.cards).forEach(function (key) {
      var c = data.cards[key];
      var box = c && c.box;
      if (!(box >= 1 && box <= LEITNER_DAYS.length && Math.floor(box) === box) || !/^\d{4}-\d\d-\d\d$/.test(c.due)) {
        throw new Error("卡片 " + key + " 的记录不完整（box 1–" + LEITNER_DAYS.length + "、due 日期）");
      }
      cards[key] = {
        box: box,
        due: c.due,
        last: typeof c.last === "string" ? c.last : c.due,
        reviews: Math.max(0, +c.reviews || 0),
        lapses: Math.max(0, +c.lapses || 0),
      };
    });
    var settings = data.settings && typeof data.settings === "object" ? data.settings : {};
    return { version: VERSION, cards: cards, settings: settings };
  }

  function readStore() {
    var raw = null;
    try { raw = localStorage.getItem(STORE); } catch (e) { /* storage blocked: nothing saved */ }
    if (!raw) return emptyStore();
    try { return checkStore(JSON.parse(raw)); } catch (e) { return emptyStore(); }
  }

  function writeStore(store) {
    try {
      localStorage.setItem(STORE, JSON.stringify(store));
      return true;
    } catch (e) {
      return false;
    }
  }

  function isDue(state, day) { return !!state && state.due <= day; }

  /* ── Home page: the due count ── */
  var homeDue = document.querySelector(".practice-home .practice-due");
  if (homeDue) {
    var store0 = readStore();
    var day0 = today();
    var due0 = Object.keys(store0.cards).filter(function (key) { return isDue(store0.cards[key], day0); }).length;
    if (due0) {
      homeDue.textContent = "（今天有 " + due0 + " 道题到期）";
      homeDue.hidden = false;
    }
  }

  /* ── The practice page ── */
  var root = document.querySelector('[data-practice="root"]');
  if (!root) return;
  function part(name) { return root.querySelector('[data-practice="' + name + '"]'); }
  // Every element is found once, now, before any card's content is in the page.
  var ui = {};
  ["setup", "summary", "scope", "length", "timer", "start", "ahead", "session", "position", "stop", "question",
    "countdown", "answer", "live", "full", "full-link", "reveal", "grades", "prev", "follow-up", "next", "done",
    "result", "again", "back", "schedule", "export", "import", "file", "reset", "message", "bank"]
    .forEach(function (name) { ui[name] = part(name); });
  var gradeButtons = Array.prototype.slice.call(ui.grades.querySelectorAll("button[data-grade]"));
  var progressRows = Array.prototype.slice.call(root.querySelectorAll('tr[data-practice="section"]'));

  var cards = Array.prototype.map.call(ui.bank.content.querySelectorAll("article[data-card]"), function (el) {
    return {
      key: el.getAttribute("data-card"),
      section: el.getAttribute("data-section"),
      sectionTitle: el.getAttribute("data-section-title"),
      tags: (el.getAttribute("data-tags") || "").split(" ").filter(Boolean),
      difficulty: el.getAttribute("data-difficulty"),
      url: el.getAttribute("data-url"),
      question: el.querySelector(":scope > h2"),
      answer: el.querySelector(":scope > .practice-card__answer"),
      followUps: Array.prototype.slice.call(el.querySelectorAll(":scope > .practice-card__follow-up")),
    };
  });

  function inScope(card, scope) {
    var kind = scope.split(":")[0];
    var value = scope.slice(kind.length + 1);
    if (kind === "section") return card.section === value;
    if (kind === "tag") return card.tags.indexOf(value) >= 0;
    if (kind === "difficulty") return card.difficulty === value;
    return true;
  }

  function say(element, text) {
    element.textContent = "";
    window.setTimeout(function () { element.textContent = text; }, 50);
  }

  /* Setup: what a session on the chosen scope would hold. "Due today" comes first, then
   * cards never practised (in the site's order); "提前复习" takes the soonest due. */
  function plan(ahead) {
    var store = readStore();
    var day = today();
    var scoped = cards.filter(function (card) { return inScope(card, ui.scope.value); });
    var due = scoped.filter(function (card) { return isDue(store.cards[card.key], day); });
    var fresh = scoped.filter(function (card) { return !store.cards[card.key]; });
    var later = scoped.filter(function (card) { return store.cards[card.key] && !isDue(store.cards[card.key], day); });
    var soonest = function (a, b) {
      var x = store.cards[a.key], y = store.cards[b.key];
      return x.due < y.due ? -1 : x.due > y.due ? 1 : x.box - y.box;
    };
    due.sort(soonest);
    later.sort(soonest);
    var queue = ahead ? later : due.concat(fresh);
    var length = +ui.length.value;
    return { due: due, fresh: fresh, later: later, queue: length ? queue.slice(0, length) : queue, store: store };
  }

  function showSummary() {
    var p = plan(false);
    var text = "今天到期 " + p.due.length + " 道，没练过的新题 " + p.fresh.length + " 道。";
    if (!p.queue.length && p.later.length) {
      text = "这个范围今天没有要练的题，下一道 " + shortDay(p.store.cards[p.later[0].key].due) + " 到期。";
    }
    ui.summary.textContent = text;
    ui.start.hidden = !p.queue.length;
    ui.ahead.hidden = !!p.queue.length || !p.later.length;
  }

  function showProgress() {
    var store = readStore();
    var day = today();
    progressRows.forEach(function (row) {
      var section = row.getAttribute("data-section");
      var stats = { seen: 0, mastered: 0, due: 0 };
      cards.forEach(function (card) {
        var state = store.cards[card.key];
        if ((section && card.section !== section) || !state) return;
        stats.seen += 1;
        if (state.box >= MASTERED_BOX) stats.mastered += 1;
        if (isDue(state, day)) stats.due += 1;
      });
      Object.keys(stats).forEach(function (name) {
        row.querySelector('[data-stat="' + name + '"]').textContent = stats[name];
      });
    });
  }

  function saveSettings() {
    var store = readStore();
    store.settings = { scope: ui.scope.value, length: ui.length.value, timer: ui.timer.checked };
    writeStore(store);
  }

  /* ── A session: a list of items (a card, or one of its follow-ups) and where we are ── */
  var session = null;
  var countdown = null;

  function current() { return session.items[session.index]; }
  function stateBefore(item) {
    // The card's state before this session graded it: grading it again replaces that grade.
    return item.before !== undefined ? item.before : readStore().cards[item.card.key] || null;
  }

  function start(ahead) {
    saveSettings();
    var p = plan(ahead);
    if (!p.queue.length) { backToSetup(); return; } // "再来一组" with nothing left: the setup says why
    session = {
      items: p.queue.map(function (card) { return { card: card, followUp: null, revealed: false, grade: null }; }),
      index: 0,
      drawn: {},
    };
    ui.setup.hidden = true;
    ui.done.hidden = true;
    ui.session.hidden = false;
    show(0);
  }

  function stopTimer() {
    if (countdown) window.clearInterval(countdown);
    countdown = null;
  }

  function startTimer() {
    stopTimer();
    var left = 30;
    var draw = function () { ui.countdown.textContent = "先自己说一遍：还剩 " + left + " 秒"; };
    ui.countdown.hidden = false;
    draw();
    countdown = window.setInterval(function () {
      left -= 1;
      if (left > 0) return draw();
      stopTimer();
      ui.countdown.textContent = "时间到，看看答案吧。";
      say(ui.live, "时间到");
    }, 1000);
  }

  function fill(target, source) {
    target.replaceChildren();
    Array.prototype.forEach.call(source.childNodes, function (node) { target.appendChild(document.importNode(node, true)); });
  }

  function show(index) {
    stopTimer();
    session.index = index;
    var item = current();
    var card = item.card;
    var followUp = item.followUp === null ? null : card.followUps[item.followUp];
    ui.position.textContent = "第 " + (index + 1) + " / " + session.items.length + " 张 · " + card.sectionTitle +
      " · " + card.difficulty + (followUp ? " · 追问" : "");
    fill(ui.question, followUp ? followUp.querySelector(":scope > p") : card.question);
    ui.answer.replaceChildren(); // the answer enters the page only when it is shown
    ui["full-link"].href = card.url + (followUp ? "#follow-ups" : "#short-answer");
    ui.countdown.hidden = true;
    if (!item.revealed && ui.timer.checked) startTimer();
    render();
    // The card at the top of the screen (below the header), its question focused for screen readers.
    ui.session.scrollIntoView({ block: "start" });
    ui.question.focus({ preventScroll: true });
  }

  function render() {
    var item = current();
    var scheduled = item.followUp === null;
    if (item.revealed && !ui.answer.hasChildNodes()) {
      var followUp = scheduled ? null : item.card.followUps[item.followUp];
      fill(ui.answer, followUp ? followUp.querySelector(":scope > div") : item.card.answer);
    }
    ui.answer.hidden = !item.revealed;
    ui.full.hidden = !item.revealed;
    ui.reveal.hidden = item.revealed;
    ui.grades.hidden = !(item.revealed && scheduled);
    var left = scheduled ? item.card.followUps.length - (session.drawn[item.card.key] || []).length : 0;
    ui["follow-up"].hidden = !(item.revealed && scheduled && left > 0);
    ui.prev.disabled = session.index === 0;
    if (scheduled) {
      var before = stateBefore(item);
      gradeButtons.forEach(function (button) {
        var grade = button.getAttribute("data-grade");
        var moved = leitner(before ? before.box : 1, grade);
        button.querySelector('[data-practice="interval"]').textContent = moved.days ? moved.days + " 天后" : "今天再练";
        button.setAttribute("aria-pressed", item.grade === grade ? "true" : "false");
      });
    }
  }

  function reveal() {
    var item = current();
    if (item.revealed) return;
    item.revealed = true;
    stopTimer();
    ui.countdown.hidden = true;
    render();
    ui.answer.focus({ preventScroll: true });
  }

  function grade(name) {
    var item = current();
    if (!item.revealed || item.followUp !== null) return;
    var before = stateBefore(item);
    item.before = before;
    var moved = leitner(before ? before.box : 1, name);
    var day = today();
    var store = readStore();
    store.cards[item.card.key] = {
      box: moved.box,
      due: addDays(day, moved.days),
      last: day,
      reviews: (before ? before.reviews : 0) + 1,
      lapses: (before ? before.lapses : 0) + (name === "forgot" ? 1 : 0),
    };
    var saved = writeStore(store);
    item.grade = name;
    say(ui.live, saved
      ? GRADES[name] + "：" + (moved.days ? moved.days + " 天后再练" : "今天再练一次") + "（第 " + moved.box + " 盒）"
      : "没能保存：这个浏览器不允许本地存储");
    showProgress();
    next();
  }

  function next() {
    if (session.index + 1 < session.items.length) show(session.index + 1);
    else finish();
  }

  function prev() {
    if (session.index > 0) show(session.index - 1);
  }

  // 追问: one of the page's follow-ups not drawn yet this session becomes the next card.
  function drawFollowUp() {
    var item = current();
    var drawn = session.drawn[item.card.key] = session.drawn[item.card.key] || [];
    var left = item.card.followUps.map(function (_, i) { return i; })
      .filter(function (i) { return drawn.indexOf(i) < 0; });
    if (!left.length) return;
    var pick = left[Math.floor(Math.random() * left.length)];
    drawn.push(pick);
    session.items.splice(session.index + 1, 0, { card: item.card, followUp: pick, revealed: false, grade: null });
    show(session.index + 1);
  }

  function finish() {
    stopTimer();
    var counts = { know: 0, fuzzy: 0, forgot: 0 };
    var skipped = 0;
    session.items.forEach(function (item) {
      if (item.followUp !== null) return;
      if (item.grade) counts[item.grade] += 1;
      else skipped += 1;
    });
    ui.result.textContent = "会 " + counts.know + " · 模糊 " + counts.fuzzy + " · 不会 " + counts.forgot +
      (skipped ? " · 跳过 " + skipped : "") + "。";
    session = null;
    ui.session.hidden = true;
    ui.done.hidden = false;
    showSummary();
    ui.done.querySelector("h2").focus();
  }

  function backToSetup() {
    stopTimer();
    session = null;
    ui.session.hidden = true;
    ui.done.hidden = true;
    ui.setup.hidden = false;
    showSummary();
    ui.start.hidden ? ui.scope.focus() : ui.start.focus();
  }

  /* ── Keyboard: space shows the answer, 1 / 2 / 3 grade, ← / → move ── */
  document.addEventListener("keydown", function (event) {
    if (!session || event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, select, textarea, [contenteditable]")) return;
    var item = current();
    if (event.key === " " || event.key === "Spacebar") {
      // On a focused button space presses that button, as everywhere.
      if (item.revealed || (target.closest && target.closest("button, a[href], summary"))) return;
      event.preventDefault();
      reveal();
    } else if (KEYS[event.key]) {
      if (!item.revealed || item.followUp !== null) return;
      event.preventDefault();
      grade(KEYS[event.key]);
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      next();
    } else if (event.key === "ArrowLeft") {
      event.preventDefault();
      prev();
    }
  });

  /* ── Export, import, reset ── */
  function message(text) { say(ui.message, text); }

  ui.export.addEventListener("click", function () {
    var store = readStore();
    var file = JSON.stringify({ version: store.version, exported: today(), cards: store.cards, settings: store.settings }, null, 2);
    var url = URL.createObjectURL(new Blob([file + "\n"], { type: "application/json" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = "llm-handbook-practice-" + today() + ".json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    message("已导出 " + Object.keys(store.cards).length + " 道题的进度。");
  });

  ui.import.addEventListener("click", function () { ui.file.click(); });
  ui.file.addEventListener("change", function () {
    var file = ui.file.files && ui.file.files[0];
    if (!file) return;
    file.text().then(function (text) {
      var imported = checkStore(JSON.parse(text));
      var store = readStore();
      store.cards = imported.cards; // the file's progress replaces this browser's; settings stay
      if (!writeStore(store)) throw new Error("这个浏览器不允许本地存储");
      refresh();
      message("已导入 " + Object.keys(store.cards).length + " 道题的进度。");
    }).catch(function (error) {
      message("导入失败：" + (error instanceof SyntaxError ? "文件不是 JSON" : error.message) + "。进度没有改动。");
    }).then(function () { ui.file.value = ""; });
  });

  ui.reset.addEventListener("click", function () {
    if (!window.confirm("清除这个浏览器里的全部练习进度？清除后无法恢复，可以先导出。")) return;
    try { localStorage.removeItem(STORE); } catch (e) { /* nothing was saved */ }
    refresh();
    message("进度已清除。");
  });

  /* ── Wiring ── */
  ui.start.addEventListener("click", function () { start(false); });
  ui.ahead.addEventListener("click", function () { start(true); });
  ui.again.addEventListener("click", function () { start(false); });
  ui.back.addEventListener("click", backToSetup);
  ui.stop.addEventListener("click", function () { if (session) finish(); });
  ui.reveal.addEventListener("click", reveal);
  ui.prev.addEventListener("click", prev);
  ui.next.addEventListener("click", next);
  ui["follow-up"].addEventListener("click", drawFollowUp);
  gradeButtons.forEach(function (button) {
    button.addEventListener("click", function () { grade(button.getAttribute("data-grade")); });
  });
  [ui.scope, ui.length, ui.timer].forEach(function (control) {
    control.addEventListener("change", function () { saveSettings(); showSummary(); });
  });

  function refresh() {
    showProgress();
    if (!session) showSummary();
  }

  ui.schedule.textContent = "排期用莱特纳盒子（Leitner, 1972）：会 → 升一盒，模糊 → 降一盒，不会 → 回到第 1 盒、今天再练。第 1–" +
    LEITNER_DAYS.length + " 盒分别隔 " + LEITNER_DAYS.join("、") + " 天再出现；“掌握”是已在第 " + MASTERED_BOX +
    " 盒及以上的题。";

  var settings = readStore().settings;
  var hasOption = function (select, value) {
    return Array.prototype.some.call(select.options, function (option) { return option.value === value; });
  };
  if (settings.scope && hasOption(ui.scope, settings.scope)) ui.scope.value = settings.scope;
  if (settings.length && hasOption(ui.length, String(settings.length))) ui.length.value = String(settings.length);
  ui.timer.checked = !!settings.timer;

  // "练一练" on a question page links here with ?section=…: start on that section at once.
  var params = new URLSearchParams(location.search);
  var asked = ["section", "tag", "difficulty"].filter(function (kind) { return params.get(kind); })
    .map(function (kind) { return kind + ":" + params.get(kind); })[0];
  refresh();
  if (asked && hasOption(ui.scope, asked)) {
    ui.scope.value = asked;
    start(false);
  }
})();
