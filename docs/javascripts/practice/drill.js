/*
 * Drill mode (docs/practice/drill.md): one card at a time from the guide's cards
 * (assets/practice/cards.js, written by overrides/hooks/practice.py), scheduled in Leitner boxes.
 *
 *   "Knew it"      moves the card up a box (at most 5) and schedules it 1, 2, 4, 8 or 16 days ahead;
 *   "Review again" puts it back in box 1, due now: it comes back after the other due cards.
 * Cards due now come first (the most overdue first), then cards never seen, in the guide's order.
 * Keys: Space shows the answer, 1 = knew it, 2 = review again (ignored while typing in a field).
 * The schedule and the filters live in localStorage (STORE); loaded by docs/javascripts/progress.js.
 */
(() => {
  "use strict";

  const STORE = "ml-system-design-field-guide:drill:v1";
  const DAY = 24 * 60 * 60 * 1000;
  const INTERVALS = [1, 2, 4, 8, 16]; // days, for boxes 1..5
  const KIND_LABELS = { followup: "Follow-up question", fact: "Key fact", glossary: "Glossary term" };
  const progress = window.fgProgress;
  let current = null; // the mounted drill

  function loadState() {
    try {
      const data = JSON.parse(localStorage.getItem(STORE));
      if (data && data.version === 1 && data.cards && typeof data.cards === "object") {
        data.filters = data.filters || {};
        return data;
      }
    } catch (error) { /* start again */ }
    return { version: 1, cards: {}, filters: { kind: "followup", tag: "", page: "" } };
  }

  function saveState(state) {
    localStorage.setItem(STORE, JSON.stringify(state));
  }

  function schedule(entry, knew, now) {
    const box = knew ? Math.min((entry ? entry.box : 0) + 1, INTERVALS.length) : 1;
    return { box, due: knew ? now + INTERVALS[box - 1] * DAY : now, seen: ((entry && entry.seen) || 0) + 1 };
  }

  function formatDay(ms) {
    return new Date(ms).toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" });
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === false || value === undefined || value === null) continue;
      node.setAttribute(name, value === true ? "" : value);
    }
    node.append(...children);
    return node;
  }

  // The card's HTML comes from the guide's own pages at build time; links in it are relative to the site root.
  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    for (const node of template.content.querySelectorAll("[href], [src]")) {
      const name = node.hasAttribute("href") ? "href" : "src";
      const value = node.getAttribute(name);
      if (!/^([a-z][a-z0-9+.-]*:|\/\/|\/|#)/i.test(value)) node.setAttribute(name, new URL(value, progress.root).href);
    }
    return template.content;
  }

  function mount(root) {
    return progress.script(root.dataset.cards ? new URL(root.dataset.cards, location.href).href : "assets/practice/cards.js")
      .then(() => start(root, window.fgCardData));
  }

  function start(root, data) {
    const state = loadState();
    const byId = new Map(data.cards.map((card) => [card.id, card]));
    const tags = [...new Set(data.cards.flatMap((card) => card.tags))].sort();
    const pages = data.pages.filter((page) => page.cards > 0);
    const drill = { root, state, shown: false, card: null, ahead: false };
    current = drill;

    const option = (value, label, selected) => el("option", { value, selected: selected === value }, label);
    const kindSelect = el("select", { id: "fg-drill-kind" },
      option("followup", `Follow-up questions (${data.counts.followup})`, state.filters.kind),
      option("fact", `Key facts (${data.counts.fact})`, state.filters.kind),
      option("glossary", `Glossary terms (${data.counts.glossary})`, state.filters.kind),
      option("", `All cards (${data.cards.length})`, state.filters.kind));
    const tagSelect = el("select", { id: "fg-drill-tag" }, option("", "All tags", state.filters.tag),
      ...tags.map((tag) => option(tag, tag, state.filters.tag)));
    const groups = new Map();
    for (const page of pages) {
      if (!groups.has(page.section)) groups.set(page.section, el("optgroup", { label: page.section || "Guide" }));
      groups.get(page.section).append(option(page.page, page.title, state.filters.page));
    }
    const pageSelect = el("select", { id: "fg-drill-page" }, option("", "All pages", state.filters.page), ...groups.values());
    const filters = el("div", { class: "fg-drill__filters" },
      el("label", { for: "fg-drill-kind" }, "Cards"), kindSelect,
      el("label", { for: "fg-drill-tag" }, "Tag"), tagSelect,
      el("label", { for: "fg-drill-page" }, "Page"), pageSelect);
    const stats = el("p", { class: "fg-drill__stats", "data-fg-stats": true, "aria-live": "polite" });
    const meta = el("p", { class: "fg-drill__meta", "data-fg-meta": true });
    const question = el("div", { class: "fg-drill__question", "data-fg-question": true, tabindex: "-1" });
    const showButton = el("button", { type: "button", class: "md-button md-button--primary", "data-fg-act": "show" },
      "Show answer ", el("kbd", {}, "Space"));
    const answer = el("div", { class: "fg-drill__answer", "data-fg-answer": true, tabindex: "-1", hidden: true });
    const source = el("p", { class: "fg-drill__source", hidden: true }, "From ", el("a", { "data-fg-source": true }, ""));
    const knewButton = el("button", { type: "button", class: "md-button md-button--primary", "data-fg-act": "knew" },
      "Knew it ", el("kbd", {}, "1"));
    const againButton = el("button", { type: "button", class: "md-button", "data-fg-act": "again" },
      "Review again ", el("kbd", {}, "2"));
    const grade = el("div", { class: "fg-drill__grade", hidden: true }, knewButton, " ", againButton);
    const card = el("section", { class: "fg-drill__card", "aria-label": "Card" }, meta, question,
      el("div", { class: "fg-drill__show" }, showButton), answer, source, grade);
    const done = el("div", { class: "fg-drill__done", "data-fg-done": true, hidden: true });
    root.replaceChildren(filters, stats, card, done);

    function selected() {
      const { kind, tag, page } = state.filters;
      return data.cards.filter((c) => (!kind || c.kind === kind) && (!tag || c.tags.includes(tag)) && (!page || c.page === page));
    }

    function queue(now) {
      const cards = selected();
      const due = cards.filter((c) => state.cards[c.id] && state.cards[c.id].due <= now)
        .sort((a, b) => state.cards[a.id].due - state.cards[b.id].due);
      const fresh = cards.filter((c) => !state.cards[c.id]);
      const later = cards.filter((c) => state.cards[c.id] && state.cards[c.id].due > now)
        .sort((a, b) => state.cards[a.id].due - state.cards[b.id].due);
      return { due, fresh, later };
    }

    function next() {
      const now = Date.now();
      const { due, fresh, later } = queue(now);
      stats.textContent = `${due.length} due now · ${fresh.length} new · ${later.length} scheduled later`;
      let line = [...due, ...fresh];
      if (drill.ahead && !line.length) line = later;
      if (line.length > 1 && drill.card) line = line.filter((c) => c.id !== drill.card.id);
      drill.card = line[0] || null;
      drill.shown = false;
      if (!drill.card) {
        card.hidden = true;
        done.hidden = false;
        const soonest = later[0];
        done.replaceChildren(
          el("p", {}, selected().length ? "Nothing is due with these filters. " : "No cards match these filters. ",
            soonest ? `The next card is due on ${formatDay(state.cards[soonest.id].due)}.` : ""),
          ...(later.length ? [el("button", { type: "button", class: "md-button", "data-fg-act": "ahead" }, "Study ahead")] : []));
        return;
      }
      drill.ahead = drill.ahead && !due.length && !fresh.length;
      const c = drill.card;
      const entry = state.cards[c.id];
      card.hidden = false;
      done.hidden = true;
      card.dataset.cardId = c.id;
      meta.textContent = `${KIND_LABELS[c.kind]} · ${c.title}` + (entry ? ` · box ${entry.box} of 5` : " · new");
      question.replaceChildren(fragment(c.kind === "glossary" ? `What is <strong>${c.q}</strong>?` : c.q));
      answer.replaceChildren(fragment(c.a));
      const link = source.querySelector("a");
      link.href = new URL(c.url, progress.root).href;
      link.textContent = c.section && c.section !== c.title ? `${c.title} › ${c.section}` : c.title;
      answer.hidden = true;
      source.hidden = true;
      grade.hidden = true;
      showButton.parentElement.hidden = false;
      document.dispatchEvent(new CustomEvent("fg:content")); // render.js draws any maths
    }

    function show() {
      if (!drill.card || drill.shown) return;
      drill.shown = true;
      answer.hidden = false;
      source.hidden = false;
      grade.hidden = false;
      showButton.parentElement.hidden = true;
      answer.focus();
    }

    function rate(knew) {
      if (!drill.card || !drill.shown) return;
      state.cards[drill.card.id] = schedule(state.cards[drill.card.id], knew, Date.now());
      saveState(state);
      next();
      if (!card.hidden) showButton.focus();
    }

    function filtersChanged() {
      state.filters = { kind: kindSelect.value, tag: tagSelect.value, page: pageSelect.value };
      saveState(state);
      drill.card = null;
      drill.ahead = false;
      next();
    }

    for (const select of [kindSelect, tagSelect, pageSelect]) select.addEventListener("change", filtersChanged);
    root.addEventListener("click", (event) => {
      const act = event.target.closest("[data-fg-act]")?.dataset.fgAct;
      if (act === "show") show();
      else if (act === "knew") rate(true);
      else if (act === "again") rate(false);
      else if (act === "ahead") { drill.ahead = true; drill.card = null; next(); if (!card.hidden) showButton.focus(); }
    });
    drill.show = show;
    drill.rate = rate;
    next();
  }

  document.addEventListener("keydown", (event) => {
    const drill = current;
    if (!drill || !drill.root.isConnected || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, select, textarea, [contenteditable], .md-search")) return;
    const onControl = target.closest && target.closest("button, a, summary");
    if (event.key === " " && !onControl) {
      event.preventDefault();
      drill.show();
    } else if (event.key === "1" || event.key === "2") {
      event.preventDefault();
      drill.rate(event.key === "1");
    }
  });

  window.fgApps.drill = mount;
  window.fgDrill = { STORE, INTERVALS, schedule };
})();
