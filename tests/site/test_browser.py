"""Every page of both builds in headless Chromium, with every non-loopback request blocked.

Online build: served over http://127.0.0.1. Offline build: opened from disk (file://).
"""

from __future__ import annotations

import http.server
import threading
import urllib.request
from dataclasses import dataclass, field

import pytest
from mkdocs.structure.files import File

from conftest import search_results
from guidelib import browser, paths

# Every build-time diagram on the page: load its visible image (they are lazy), then report whether it
# decoded and how big it is. `div.mermaid` left in a page means a diagram was not rendered at build time.
DIAGRAMS = """async () => {
  const figures = [...document.querySelectorAll('figure.fg-diagram')];
  const out = [];
  for (const f of figures) {
    const img = [...f.querySelectorAll('img')].find(i => getComputedStyle(i).display !== 'none');
    if (!img) { out.push({rendered: false, error: 'no visible image', width: 0, height: 0}); continue; }
    img.loading = 'eager';
    let error = null;
    try { await img.decode(); } catch (e) { error = 'image did not load: ' + img.src; }
    const box = img.getBoundingClientRect();
    out.push({rendered: error === null && img.naturalWidth > 0, error, width: box.width, height: box.height,
              theme: img.classList.contains('fg-diagram__img--dark') ? 'dark' : 'light', alt: img.alt});
  }
  for (const d of document.querySelectorAll('div.mermaid')) out.push({rendered: false, error: 'Mermaid source left in the page', width: 0, height: 0});
  return out;
}"""


def page_paths(directory_urls: bool) -> list[str]:
    """URL of every Markdown page as MkDocs writes it, plus the print page, relative to the site root."""
    urls = [File(source.relative_to(paths.DOCS).as_posix(), str(paths.DOCS), "/site", directory_urls).url
            for source in sorted(paths.DOCS.rglob("*.md"))]
    urls.append("print_page/" if directory_urls else "print_page.html")
    return urls


@dataclass
class Visit:
    blocked: list[str]
    requests: list[str]
    errors: list[str] = field(default_factory=list)
    diagrams: list[dict] = field(default_factory=list)


def visit(chromium, url: str) -> Visit:
    log = browser.NetworkLog()
    context = browser.guarded_context(chromium, log, color_scheme="light")
    page = context.new_page()
    result = Visit(log.blocked, log.requests)
    page.on("pageerror", lambda error: result.errors.append(f"page error: {error}"))
    page.on("console", lambda msg: msg.type == "error" and result.errors.append(f"console: {msg.text}"))
    page.on("response", lambda r: r.status >= 400 and result.errors.append(f"HTTP {r.status}: {r.url}"))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_function("document.documentElement.dataset.render === 'done'", timeout=60_000)
        result.diagrams = page.evaluate(DIAGRAMS)
    finally:
        context.close()
    return result


def assert_clean(result: Visit) -> None:
    assert result.blocked == [], f"requests to non-local hosts: {result.blocked}"
    assert result.errors == []
    for index, diagram in enumerate(result.diagrams):
        assert diagram["rendered"], f"diagram {index}: {diagram['error']}"
        assert diagram["width"] > 0 and diagram["height"] > 0, f"diagram {index} has zero size"
        assert diagram["theme"] == "light" and len(diagram["alt"]) > 10, diagram
    mermaid_requests = [url for url in result.requests if "mermaid" in url.lower()]
    assert mermaid_requests == [], f"a page requested Mermaid: {mermaid_requests}"


@pytest.mark.parametrize("path", page_paths(directory_urls=True))
def test_online_page(chromium, site_url, path):
    assert_clean(visit(chromium, site_url + path))


@pytest.mark.parametrize("path", page_paths(directory_urls=False))
def test_offline_page(chromium, offline_build, path):
    assert offline_build.returncode == 0, offline_build.log
    assert_clean(visit(chromium, (offline_build.site / path).as_uri()))


def test_diagram_pages_exist():
    """Guard for the tests above: the site must have pages with and without diagrams."""
    with_diagrams = [p for p in paths.DOCS.rglob("*.md") if "```mermaid" in p.read_text(encoding="utf-8")]
    without = [p for p in paths.DOCS.rglob("*.md") if "```mermaid" not in p.read_text(encoding="utf-8")]
    assert with_diagrams and without


def search(chromium, url: str, query: str) -> list[str]:
    return search_results(chromium, url, query)[0]


def test_search_finds_retrieval_ranking_page(chromium, served_url):
    hrefs = search(chromium, served_url, "candidate generation")
    assert any("foundations/retrieval-ranking/" in href for href in hrefs), hrefs


def test_offline_search_works_from_disk(chromium, offline_build):
    hrefs = search(chromium, (offline_build.site / "index.html").as_uri(), "candidate generation")
    assert any("foundations/retrieval-ranking.html" in href for href in hrefs), hrefs


def test_instant_navigation_shows_diagrams(chromium, served_url):
    log = browser.NetworkLog()
    context = browser.guarded_context(chromium, log)
    page = context.new_page()
    try:
        browser.goto_instant(page, served_url + "glossary/")
        assert page.locator("figure.fg-diagram").count() == 0
        page.evaluate("window.__sameDocument = true")
        page.locator("a[href*='foundations/retrieval-ranking/#']:visible").first.click()
        page.wait_for_url("**/foundations/retrieval-ranking/#*")
        page.wait_for_selector("figure.fg-diagram")
        assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
        diagrams = page.evaluate(DIAGRAMS)
        assert diagrams and all(d["rendered"] for d in diagrams), diagrams
    finally:
        context.close()
    assert log.blocked == []
    assert not [u for u in log.requests if "mermaid" in u.lower()]


@dataclass
class SlowSitemap:
    url: str
    delay: float = 2.0
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture()
def slow_sitemap(served_url):
    """A loopback server that answers /sitemap.xml with the served sitemap, but only after `delay`
    seconds or once `release` is set: a CI machine under load, made deterministic."""
    body = urllib.request.urlopen(served_url + "sitemap.xml").read()
    slow = SlowSitemap(url="")

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            slow.release.wait(slow.delay)
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the page went away first

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    slow.url = f"http://127.0.0.1:{server.server_address[1]}/sitemap.xml"
    yield slow
    slow.release.set()
    server.shutdown()


@pytest.mark.parametrize("armed", [False, True], ids=["plain-goto", "goto_instant"])
def test_goto_instant_waits_for_a_slow_sitemap(chromium, served_url, slow_sitemap, armed):
    """A click before Material has the sitemap reloads the page; goto_instant waits it out.

    The plain case holds the sitemap back until after the click, so it shows the race is real (it
    failed a CI run) and the armed case is not vacuous.
    """
    slow_sitemap.delay = 2.0 if armed else 120.0
    context = chromium.new_context()
    context.route("**/sitemap.xml", lambda route, request: route.continue_(url=slow_sitemap.url))
    page = context.new_page()
    try:
        if armed:
            browser.goto_instant(page, served_url + "foundations/retrieval-ranking/")
        else:
            page.goto(served_url + "foundations/retrieval-ranking/")
        page.evaluate("window.__sameDocument = true")
        # the nav's href is relative until Material makes it absolute
        page.locator(".md-nav--primary a[href$='embeddings/']").first.click()
        page.wait_for_url("**/foundations/embeddings/")
        page.wait_for_load_state()
        assert page.evaluate("window.__sameDocument === true") is armed
    finally:
        slow_sitemap.release.set()
        context.close()


def test_palette_toggle_switches_diagram_variant(chromium, served_url):
    log = browser.NetworkLog()
    context = browser.guarded_context(chromium, log, color_scheme="light")
    page = context.new_page()
    try:
        page.goto(served_url + "foundations/retrieval-ranking/")
        before = page.evaluate(DIAGRAMS)
        assert before and {d["theme"] for d in before} == {"light"}
        page.locator("form[data-fg-palette] label:not([hidden])").first.click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        after = page.evaluate(DIAGRAMS)
        assert len(after) == len(before) and {d["theme"] for d in after} == {"dark"}
        assert all(d["rendered"] for d in after)
    finally:
        context.close()
    assert log.blocked == []


# Where each block of the article sits, and the content column's box: Material starting must move none.
GEOMETRY = """() => [...document.querySelectorAll(
    '.md-content, article h1, article h2, article h3, article p, article li, article table, article figure, article .katex-display')]
  .map((e) => { const r = e.getBoundingClientRect(); return [e.tagName, Math.round(r.x), Math.round(r.y + scrollY), Math.round(r.width), Math.round(r.height)]; })"""


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_material_starts_on_the_first_interaction_and_moves_nothing(chromium, site_url, width):
    """overrides/hooks/material_on_demand.py: the page loads without Material's bundle, the reader's
    first interaction starts it, it mounts (tables framed once, instant navigation, js class), and no
    block of the article moves when it does."""
    log = browser.NetworkLog()
    context = browser.guarded_context(chromium, log, viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(site_url + "case-studies/video-recommendation/")  # tables, formulas, diagrams
        page.wait_for_load_state("networkidle")
        # a settled page: fonts applied, the guide's render pass done, every diagram image decoded
        page.wait_for_function("document.documentElement.dataset.render === 'done'")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.evaluate(DIAGRAMS)
        assert not [u for u in log.requests if "/bundle." in u], "Material's bundle loaded before any interaction"
        assert page.evaluate("document.documentElement.className") == "no-js"
        assert page.locator(".md-search__input").is_visible() or page.locator("label[for=__search]").first.is_visible()
        tables = page.locator("article table").count()
        assert tables and page.locator(".md-typeset__scrollwrap").count() == tables  # framed at build time
        before = page.evaluate(GEOMETRY)
        browser.start_material(page)
        assert [u for u in log.requests if "/bundle." in u]
        assert page.locator(".md-typeset__scrollwrap").count() == tables  # Material's second frame taken out
        assert page.locator(".md-typeset__table .md-typeset__scrollwrap").count() == 0
        after = page.evaluate(GEOMETRY)
        assert len(before) == len(after) > 100
        moved = [(b, a) for b, a in zip(before, after) if b != a]
        assert not moved, moved[:5]
    finally:
        context.close()
    assert log.blocked == []


SCROLLERS = """() => [...document.querySelectorAll('.md-typeset__scrollwrap, .md-typeset div.arithmatex, .md-typeset pre > code')]
  .map((el) => ({overflows: el.scrollWidth > el.clientWidth + 1, tabindex: el.getAttribute('tabindex'),
                 role: el.getAttribute('role'), name: el.getAttribute('aria-label')}))"""


@pytest.mark.parametrize("path", ["framework/clarify-requirements/", "foundations/ann-search/"])
def test_what_scrolls_sideways_on_a_phone_takes_focus_before_material_starts(chromium, site_url, path):
    """render.js: an overflowing table, formula or code block is a named, focusable region from the
    first paint (axe-core: scrollable-region-focusable); one that fits is not a tab stop."""
    context = browser.guarded_context(chromium, browser.NetworkLog(), viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(site_url + path)
        page.wait_for_function("document.documentElement.dataset.render === 'done'")
        assert page.evaluate("typeof window.document$") == "undefined"
        found = page.evaluate(SCROLLERS)
        wide = [s for s in found if s["overflows"]]
        assert wide, "expected something wider than a phone on this page"
        assert all(s["tabindex"] == "0" and s["role"] == "region" and s["name"].endswith("scrolls sideways") for s in wide), wide
        assert len({s["name"] for s in wide}) == len(wide)  # distinct names
        assert not [s for s in found if not s["overflows"] and s["role"] == "region"]
    finally:
        context.close()


def test_a_material_shortcut_as_the_first_key_is_not_lost(chromium, site_url):
    context = browser.guarded_context(chromium, browser.NetworkLog())
    page = context.new_page()
    try:
        page.goto(site_url + "glossary/")
        page.keyboard.press("/")  # starts Material, which then receives the key: search opens
        page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")
    finally:
        context.close()


def test_an_address_that_asks_for_a_search_starts_material_at_once(chromium, site_url):
    context = browser.guarded_context(chromium, browser.NetworkLog())
    page = context.new_page()
    try:
        page.goto(site_url + "glossary/?h=embedding")
        page.wait_for_function("typeof window.document$ !== 'undefined'")  # no interaction
        page.wait_for_selector("article mark")  # search.highlight marked the term
    finally:
        context.close()


PALETTE_STATE = """() => {
  const hex = (rgb) => '#' + rgb.match(/\\d+/g).slice(0, 3).map((v) => (+v).toString(16).padStart(2, '0')).join('');
  const meta = (name) => document.head.querySelector(`meta[name="${name}"]`)?.content;
  const stored = Object.entries(localStorage).find(([key]) => key.endsWith('.__palette'));
  return {
    scheme: document.body.dataset.mdColorScheme,
    switching: document.body.hasAttribute('data-md-color-switching'),
    button: [...document.querySelectorAll('form[data-fg-palette] label')].filter((l) => !l.hidden).map((l) => l.htmlFor),
    colorScheme: meta('color-scheme'),
    themeColor: meta('theme-color'),
    headerColor: hex(getComputedStyle(document.querySelector('.md-header')).backgroundColor),
    stored: stored ? JSON.parse(stored[1]).index : null,
    materialPalette: document.querySelector('[data-md-component=palette]') !== null,
  };
}"""


def test_palette_follows_the_system_until_the_reader_chooses(chromium, served_url):
    """The guide's palette toggle (partials/javascripts/palette.html) in place of Material's component:
    system preference first and live, the reader's choice stored and kept, Enter and click switch,
    and the browser's color-scheme and theme-color follow. The one visible button selects the other
    palette (its `for`; Material's tooltips take the title away on hover)."""
    context = browser.guarded_context(chromium, browser.NetworkLog(), color_scheme="light")
    page = context.new_page()
    state = lambda: page.evaluate(PALETTE_STATE)  # noqa: E731
    try:
        page.goto(served_url + "glossary/")
        light = state()
        assert light["scheme"] == "default" and light["button"] == ["__palette_1"], light
        assert light["colorScheme"] == "light" and light["themeColor"] == light["headerColor"], light
        assert light["stored"] is None and not light["materialPalette"], light
        page.emulate_media(color_scheme="dark")  # nothing chosen yet: the system's change is followed
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        page.emulate_media(color_scheme="light")
        page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")

        page.focus("#__palette_0")
        page.keyboard.press("Enter")
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")
        dark = state()
        assert dark["button"] == ["__palette_0"] and dark["colorScheme"] == "dark", dark
        assert dark["themeColor"] == dark["headerColor"] and dark["stored"] == 1, dark

        page.reload()  # the stored choice wins over the system's light preference, and over its changes
        page.emulate_media(color_scheme="dark")
        page.emulate_media(color_scheme="light")
        assert state()["scheme"] == "slate" and state()["button"] == ["__palette_0"]
        page.locator("form[data-fg-palette] label:not([hidden])").click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
        assert state()["stored"] == 0 and state()["button"] == ["__palette_1"]
    finally:
        context.close()


def test_system_dark_preference_shows_dark_diagrams(chromium, served_url):
    """A first visit with no palette chosen follows prefers-color-scheme, diagrams included."""
    context = browser.guarded_context(chromium, browser.NetworkLog(), color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(served_url + "foundations/retrieval-ranking/")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        assert {d["theme"] for d in page.evaluate(DIAGRAMS)} == {"dark"}
    finally:
        context.close()
