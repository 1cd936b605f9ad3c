/*
 * Reading progress, on every page (kept under 3 KB gzipped; tests/site/test_practice.py checks).
 *  - The "Studied" / "Attempted" buttons under a page's title (partials/content.html) toggle that
 *    page's marks; the navigation shows a check mark beside each studied page.
 *  - "Expand all" / "Hide all" above a page's follow-up questions (overrides/hooks/practice.py).
 *  - Loads the practice apps only on their pages: an element [data-fg-app=NAME] gets
 *    javascripts/practice/NAME.js, which registers window.fgApps[NAME](element).
 * State lives in localStorage under a namespaced, versioned key; a page's key is its path from the
 * site root without index.html, .html or a trailing slash, so it is the same from a server and
 * from file://. Material's document$ re-runs everything after instant navigation.
 */
(() => {
  "use strict";

  const KEY = "ml-system-design-field-guide:progress:v1";
  const root = new URL("..", document.currentScript.src);
  const loaded = {};
  window.fgApps = window.fgApps || {};

  function keyOf(href) {
    const url = new URL(href, location.href);
    if (!url.href.startsWith(root.href)) return null;
    const path = decodeURIComponent(url.pathname.slice(root.pathname.length))
      .replace(/(^|\/)index\.html$/, "$1").replace(/\.html$/, "").replace(/\/$/, "");
    return path || "index";
  }

  function load() {
    try {
      const data = JSON.parse(localStorage.getItem(KEY));
      if (data && data.version === 1 && data.pages && typeof data.pages === "object") return data;
    } catch (error) { /* unreadable: start again */ }
    return { version: 1, pages: {} };
  }

  function save(data) {
    localStorage.setItem(KEY, JSON.stringify(data));
    update();
  }

  function script(path) {
    const src = new URL(path, root).href;
    return loaded[src] || (loaded[src] = new Promise((resolve, reject) => {
      const el = document.createElement("script");
      el.src = src;
      el.onload = resolve;
      el.onerror = () => { delete loaded[src]; reject(new Error(`could not load ${src}`)); };
      document.head.appendChild(el);
    }));
  }

  function update() {
    const pages = load().pages;
    const mine = pages[keyOf(location.href)] || {};
    for (const box of document.querySelectorAll("[data-fg-mark]")) box.hidden = false;
    for (const button of document.querySelectorAll("[data-fg-state]")) {
      button.setAttribute("aria-pressed", String(Boolean(mine[button.dataset.fgState])));
    }
    for (const link of document.querySelectorAll(".md-nav--primary a.md-nav__link[href]")) {
      const done = !link.hash && Boolean((pages[keyOf(link.href)] || {}).studied); // not the page's own sections
      let mark = link.querySelector(".fg-nav-check");
      if (done && !mark) {
        mark = document.createElement("span");
        mark.className = "fg-nav-check";
        mark.title = "Studied";
        mark.innerHTML = '<span aria-hidden="true">✓</span><span class="fg-visually-hidden"> (studied)</span>';
        link.appendChild(mark);
      } else if (!done && mark) {
        mark.remove();
      }
    }
    document.dispatchEvent(new CustomEvent("fg:progress"));
  }

  function mountApps() {
    for (const el of document.querySelectorAll("[data-fg-app]:not([data-mounted])")) {
      const name = el.dataset.fgApp;
      el.dataset.mounted = "pending";
      script(`javascripts/practice/${name}.js`)
        .then(() => { el.dataset.mounted = "true"; return window.fgApps[name](el); })
        .catch((error) => { el.dataset.mounted = "error"; el.textContent = String(error); console.error(error); });
    }
  }

  function pageChanged() {
    for (const bar of document.querySelectorAll("[data-fg-followups]")) bar.hidden = false;
    update();
    mountApps();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-fg-state], [data-fg-expand]");
    if (!button) return;
    if (button.dataset.fgExpand) {
      const open = button.dataset.fgExpand === "open";
      for (const details of document.querySelectorAll("article details.question")) details.open = open;
      return;
    }
    const data = load();
    const key = keyOf(location.href);
    const marks = data.pages[key] || {};
    const state = button.dataset.fgState;
    if (marks[state]) delete marks[state];
    else marks[state] = Date.now();
    if (Object.keys(marks).length) data.pages[key] = marks;
    else delete data.pages[key];
    save(data);
  });
  window.addEventListener("storage", (event) => { if (event.key === KEY) update(); });

  window.fgProgress = { KEY, root, keyOf, load, save, script, update };

  window.fgOnPage(pageChanged);
})();
