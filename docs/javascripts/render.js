/*
 * Renders KaTeX math from the site's own copy (assets/vendor/) for formulas the build left as TeX
 * (built without Node, or added later, like the drill's cards), only on pages that have them.
 * Diagrams are SVGs rendered at build time (overrides/hooks/diagrams.py); Mermaid runs here only
 * as the fallback for a site built without Chromium, whose pages keep <div class="mermaid">
 * (the build then copies Mermaid into assets/vendor/). Handles:
 *   - instant navigation: Material's document$ emits on every page change;
 *   - the print page (mkdocs-print-site-plugin) and the offline build (file://);
 *   - palette toggles: diagrams are re-rendered with the matching Mermaid theme;
 *   - content added later (the drill's cards): an "fg:content" event on document renders it.
 * Over http(s) Mermaid's ES module build is imported, which fetches only the chunks the
 * page's diagram types need. Browsers refuse module scripts from file://, so the offline
 * build loads the classic single-file build instead.
 * Afterwards, tables and formulas that scroll sideways are made reachable by keyboard.
 * <html data-render="pending|done"> tells the PDF exporter and the tests when it is finished.
 */
(() => {
  "use strict";

  const vendor = new URL("../assets/vendor/", document.currentScript.src);
  // The build's Mermaid config (scripts/guidelib/mermaid.py BASE_CONFIG; a test keeps them equal).
  const MERMAID_CONFIG = {"startOnLoad": false, "securityLevel": "strict", "htmlLabels": false, "flowchart": {"htmlLabels": false}, "fontFamily": "Verdana, 'DejaVu Sans', 'Bitstream Vera Sans', sans-serif", "themeVariables": {"fontFamily": "Verdana, 'DejaVu Sans', 'Bitstream Vera Sans', sans-serif", "fontSize": "16px"}};
  const root = document.documentElement;
  const cache = new Map();
  let sequence = 0;

  function once(key, load) {
    if (!cache.has(key)) cache.set(key, load());
    return cache.get(key);
  }

  function classicScript(path) {
    return once(path, () => new Promise((resolve, reject) => {
      const el = document.createElement("script");
      el.src = new URL(path, vendor).href;
      el.onload = resolve;
      el.onerror = () => reject(new Error(`could not load ${el.src}`));
      document.head.appendChild(el);
    }));
  }

  function stylesheet(path) {
    return once(path, () => new Promise((resolve, reject) => {
      const el = document.createElement("link");
      el.rel = "stylesheet";
      el.href = new URL(path, vendor).href;
      el.onload = resolve;
      el.onerror = () => reject(new Error(`could not load ${el.href}`));
      document.head.appendChild(el);
    }));
  }

  function loadMermaid() {
    return once("mermaid", () => location.protocol === "file:"
      ? classicScript("mermaid/mermaid.min.js").then(() => window.mermaid)
      : import(new URL("mermaid/mermaid.esm.min.mjs", vendor).href).then((m) => m.default));
  }

  const isDark = () => document.body.getAttribute("data-md-color-scheme") === "slate";

  // mermaid2's fence writes the source unescaped into <div class="mermaid">; read it back
  // the way Mermaid's own run() does: serialised HTML with entities decoded.
  function sourceOf(el) {
    if (el.dataset.source === undefined) {
      const decoder = document.createElement("textarea");
      decoder.innerHTML = el.innerHTML;
      el.dataset.source = decoder.value.trim();
    }
    return el.dataset.source;
  }

  async function renderDiagrams(nodes) {
    if (!nodes.length) return;
    nodes.forEach(sourceOf);
    let mermaid;
    try {
      mermaid = await loadMermaid();
    } catch (error) {
      cache.delete("mermaid");  // let the next page try again
      for (const el of nodes) el.dataset.error = `Mermaid failed to load: ${error}`;
      throw error;
    }
    const theme = isDark() ? "dark" : "default";
    mermaid.initialize({ ...MERMAID_CONFIG, theme: isDark() ? "dark" : "default" });
    for (const el of nodes) {
      const id = `fg-mermaid-${++sequence}`;
      try {
        const { svg, bindFunctions } = await mermaid.render(id, sourceOf(el));
        el.innerHTML = svg;
        if (bindFunctions) bindFunctions(el);
        el.dataset.theme = theme;
        el.dataset.rendered = "true";
        delete el.dataset.error;
      } catch (error) {
        const message = String((error && error.message) || error);
        el.dataset.error = message;
        el.textContent = `Diagram could not be rendered: ${message}`;
        el.classList.add("mermaid--error");
        console.error("Mermaid:", message);
      } finally {
        // Mermaid leaves its scratch element behind when a render throws.
        document.getElementById(`d${id}`)?.remove();
      }
    }
  }

  async function renderMath(nodes) {
    // Formulas are rendered at build time (overrides/hooks/math.py) and the page links their
    // stylesheet; a page reached by instant navigation may not have it in its head yet.
    if (!nodes.length) {
      if (document.querySelector(".arithmatex[data-rendered] .katex")
          && !document.querySelector('link[href$="katex/katex.min.css"]')) await stylesheet("katex/katex.min.css");
      return;
    }
    await Promise.all([stylesheet("katex/katex.min.css"), classicScript("katex/katex.min.js")]);
    for (const el of nodes) {
      const display = el.tagName === "DIV";
      const tex = el.textContent.trim().replace(/^\\[([]/, "").replace(/\\[)\]]$/, "");
      window.katex.render(tex, el, { displayMode: display, throwOnError: false, output: "htmlAndMathml" });
      el.dataset.rendered = "true";
    }
  }

  let pending = Promise.resolve();
  function schedule(task) {
    root.dataset.render = "pending";
    pending = pending.then(task).catch((error) => console.error(error));
    const current = pending;
    current.then(() => { if (pending === current) root.dataset.render = "done"; });
    return current;
  }

  // A table, formula or code block wider than the column scrolls sideways; keyboard users need to
  // reach it, so each one that overflows takes focus (and says what it is), and loses it when it fits
  // again. (Material does this for code blocks too, but only once its script has started, on the
  // reader's first interaction.)
  const SCROLLERS = ".md-typeset__scrollwrap, .md-typeset div.arithmatex, .md-typeset pre > code";
  const KIND = (el) => (el.matches(".arithmatex") ? "Formula" : el.matches("code") ? "Code" : "Table");
  function markScrollers() {
    let count = 0;
    for (const el of document.querySelectorAll(SCROLLERS)) {
      const overflows = el.scrollWidth > el.clientWidth + 1;
      if (overflows) count += 1;
      if (overflows && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.dataset.fgScroll = "";
      }
      if (overflows) {  // regions need distinct names: numbered in page order
        el.setAttribute("aria-label", `${KIND(el)} ${count}, scrolls sideways`);
      } else if (!overflows && el.dataset.fgScroll !== undefined) {
        for (const name of ["tabindex", "role", "aria-label", "data-fg-scroll"]) el.removeAttribute(name);
      }
    }
  }
  let resizeTimer;
  window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(markScrollers, 200); });

  // Material gives each code block a <nav> for its copy button, all without a name, so a page with
  // two code blocks has landmarks nobody can tell apart (axe-core: landmark-unique). Each gets one.
  function nameCodeNavs() {
    document.querySelectorAll(".md-code__nav").forEach((nav, index) => {
      if (!nav.hasAttribute("aria-label")) nav.setAttribute("aria-label", `Code block ${index + 1} actions`);
    });
  }

  function renderPage() {
    nameCodeNavs();
    return schedule(() => Promise.all([
      renderDiagrams([...document.querySelectorAll("div.mermaid:not([data-rendered]):not([data-error])")]),
      renderMath([...document.querySelectorAll(".arithmatex:not([data-rendered])")]),
    ]).then(markScrollers));
  }

  function rethemeDiagrams() {
    const rendered = [...document.querySelectorAll("div.mermaid[data-rendered]")];
    if (rendered.length) schedule(() => renderDiagrams(rendered));
  }

  new MutationObserver(rethemeDiagrams)
    .observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  // Content added after the page loaded (the drill's cards) asks for its maths with this event.
  document.addEventListener("fg:content", () => renderPage());

  window.fgOnPage(renderPage);
})();
