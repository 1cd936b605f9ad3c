"""Every diagram of the built site is legible: its smallest label, as a reader sees it, is at least
12 px on a 1366 px screen and 10 px on a 390 px phone (the frame scrolls rather than shrink it
further). Print: test_diagram_print.py."""

from __future__ import annotations

import re

import pytest

from guidelib import browser, paths

FLOORS = {1366: 12.0, 390: 10.0}

# The smallest label of each diagram as drawn: the SVG is fetched and laid out off-screen to read its
# label font sizes (in SVG units), then scaled by the width the page gives the image.
SMALLEST_LABELS = """async () => {
  const out = [];
  for (const figure of document.querySelectorAll('figure.fg-diagram')) {
    const img = [...figure.querySelectorAll('img')].find((i) => getComputedStyle(i).display !== 'none');
    const holder = document.createElement('div');
    holder.style.cssText = 'position:absolute;left:-100000px;top:0';
    holder.innerHTML = await (await fetch(img.src)).text();
    document.body.appendChild(holder);
    const svg = holder.querySelector('svg');
    let smallest = Infinity;
    for (const t of svg.querySelectorAll('text, tspan')) {
      if (!t.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(t).fontSize);
      if (size > 0 && size < smallest) smallest = size;
    }
    const scale = img.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    holder.remove();
    out.push({ title: img.alt.slice(0, 70), px: smallest * scale });
  }
  return out;
}"""


def diagram_pages() -> list[str]:
    from mkdocs.structure.files import File

    return [File(p.relative_to(paths.DOCS).as_posix(), str(paths.DOCS), "/site", True).url
            for p in sorted(paths.DOCS.rglob("*.md")) if "```mermaid" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("width", sorted(FLOORS))
def test_smallest_label_meets_the_floor(chromium, site_url, width):
    pages = diagram_pages()
    assert len(pages) >= 10
    context = browser.guarded_context(chromium, browser.NetworkLog(), viewport={"width": width, "height": 900})
    too_small, seen = [], 0
    try:
        page = context.new_page()
        for path in pages:
            page.goto(site_url + path)
            for diagram in page.evaluate(SMALLEST_LABELS):
                seen += 1
                if diagram["px"] < FLOORS[width] - 0.05:
                    too_small.append(f"{path}: {diagram['title']!r}: {diagram['px']:.1f} px")
    finally:
        context.close()
    assert seen >= len(pages)
    assert too_small == [], f"labels under {FLOORS[width]} px at {width} px:\n" + "\n".join(too_small)


def test_diagram_opens_full_screen_and_closes_with_escape(chromium, site_url):
    """Keyboard only: Tab to a diagram, Enter opens the viewer, + zooms, Esc closes and focus returns."""
    context = browser.guarded_context(chromium, browser.NetworkLog(), viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url + "foundations/retrieval-ranking/")
        button = page.locator(".fg-diagram__open").first
        button.focus()
        page.keyboard.press("Enter")
        dialog = page.locator("dialog.fg-viewer")
        dialog.wait_for(state="visible")
        assert page.evaluate("document.activeElement.classList.contains('fg-viewer__stage')")
        title = page.locator("#fg-viewer-title").text_content()
        assert title and title == button.get_attribute("aria-label").removeprefix("Open full screen: ")
        img = page.locator("dialog.fg-viewer img")
        before = img.bounding_box()["width"]
        page.keyboard.press("+")
        assert img.bounding_box()["width"] > before * 1.2
        assert page.locator("a.fg-viewer__legend").get_attribute("href").endswith("about/#diagram-palette")
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        assert page.evaluate("document.activeElement.classList.contains('fg-diagram__open')")
    finally:
        context.close()
