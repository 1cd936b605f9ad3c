"""The guide's build-time figures (figures/<name>.py, overrides/hooks/figures.py) in the built sites: each
is placed where its page discusses it, has alt text, a caption and both variants, prints, stays out of
the search index's code, and shows from the offline copy opened from disk (file://)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from mkdocs.structure.files import File

from guidelib import browser, figures as figlib, paths

FIGURES = re.compile(r'<figure class="fg-figure" data-figure="([^"]+)" style="([^"]+)">(.*?)</figure>', re.S)
MARKER = re.compile(r"^\s*<!-- figure: ([a-z0-9-]+) -->\s*$", re.M)
# Where issue #21 asked for each figure: the page that discusses it.
EXPECTED_PAGES = {
    "reliability-diagram": "foundations/metrics.md",
    "precision-recall-curve": "foundations/metrics.md",
    "roc-vs-pr-imbalance": "foundations/metrics.md",
    "ann-recall-frontier": "foundations/ann-search.md",
    "power-vs-sample-size": "foundations/experimentation.md",
    "position-bias": "foundations/data-labels-splits.md",
    "drift-psi": "framework/monitoring.md",
    "latency-distribution": "foundations/estimation.md",
    "fan-out-tail": "foundations/estimation.md",
    "overfitting-loss-curve": "framework/model-development.md",
    "focal-loss": "foundations/loss-functions.md",
    "pinball-quantile": "foundations/loss-functions.md",
    "downsampling-correction": "case-studies/ad-click-prediction.md",
    "newsvendor-cost": "case-studies/demand-forecasting.md",
}
PORTRAIT_TEXT_PX = (210 - 2 * 17) / 25.4 * 96  # print.css: A4, 17 mm side margins


def placements() -> dict[str, list[str]]:
    """{page src_uri: [figure names in page order]} from the Markdown sources."""
    found = {}
    for source in sorted(paths.DOCS.rglob("*.md")):
        names = MARKER.findall(source.read_text(encoding="utf-8"))
        if names:
            found[source.relative_to(paths.DOCS).as_posix()] = names
    return found


def built(site: Path, src_uri: str, directory_urls: bool = True) -> Path:
    return site / File(src_uri, str(paths.DOCS), "/site", directory_urls).dest_path


def test_every_script_is_placed_on_the_page_that_discusses_it():
    scripts = figlib.scripts(paths.ROOT / "figures")
    assert len(scripts) >= 12
    where = {name: page for page, names in placements().items() for name in names}
    assert set(where) == set(scripts), "a script with no marker, or a marker with no script"
    for name, page in EXPECTED_PAGES.items():
        assert where.get(name) == page, f"{name} should be on {page}, is on {where.get(name)}"


def test_the_reliability_diagram_is_no_longer_a_mermaid_bar_chart():
    metrics = (paths.DOCS / "foundations" / "metrics.md").read_text(encoding="utf-8")
    assert "xychart-beta" not in metrics and "<!-- figure: reliability-diagram -->" in metrics


def test_every_figure_has_alt_text_caption_script_and_both_variants(site_build):
    assert site_build.returncode == 0, site_build.log
    seen = 0
    for page, names in placements().items():
        path = built(site_build.site, page)
        figures = FIGURES.findall(path.read_text(encoding="utf-8"))
        assert [name for name, _, _ in figures] == names, f"{page}: figures in the page differ from its markers"
        for name, style, body in figures:
            seen += 1
            imgs = re.findall(r'<img class="fg-diagram__img fg-diagram__img--(light|dark)" src="([^"]+)" alt="([^"]*)" '
                              r'width="(\d+)" height="(\d+)"', body)
            assert [theme for theme, *_ in imgs] == ["light", "dark"], f"{name}: light and dark images"
            alts = {html.unescape(alt) for _, _, alt, _, _ in imgs}
            assert len(alts) == 1 and len(alts.pop()) >= 80, f"{name}: alt text too short to describe the chart"
            caption = re.search(r'<figcaption class="fg-figure__caption">(.*?)</figcaption>', body, re.S)
            assert caption and len(caption.group(1)) >= 80, f"{name}: no caption stating the assumptions"
            svgs = {}
            for theme, src, _alt, width, height in imgs:
                file = (path.parent / src).resolve()
                assert file.is_file() and file.parent == site_build.site / "assets" / "figures", f"{name}: {src}"
                svgs[theme] = file.read_text(encoding="utf-8")
                assert int(width) >= 300 and int(height) >= 200
                assert "<svg" in svgs[theme] and "<text" not in svgs[theme], f"{name}: text must be paths"
                assert "<image" not in svgs[theme], f"{name}: a raster image inside the SVG"
            assert svgs["light"] != svgs["dark"]
            plain = html.unescape(re.sub(r"<[^>]+>", "", body))
            assert "How this figure was made" in plain and f"figures/{name}.py" in plain and "def draw(s):" in plain
            floor = float(re.search(r"--fg-min-print:(\d+)px", style).group(1))
            assert floor <= PORTRAIT_TEXT_PX, f"{name}: needs {floor:.0f} px for 7 pt labels in print"
    assert seen >= 12


def test_the_print_page_has_every_figure_with_working_images(site_build):
    print_page = site_build.site / "print_page" / "index.html"
    text = print_page.read_text(encoding="utf-8")
    names = [name for name, _, _ in FIGURES.findall(text)]
    assert sorted(names) == sorted(n for page in placements().values() for n in page)
    for src in re.findall(r'fg-diagram__img--light" src="([^"]+assets/figures/[^"]+)"', text):
        assert (print_page.parent / src).resolve().is_file(), src
    css = (paths.DOCS / "stylesheets" / "print.css").read_text(encoding="utf-8")
    assert re.search(r"\.fg-figure__how\s*\{\s*display:\s*none !important;", css), "the script stays off paper"


def test_search_indexes_captions_but_not_scripts(site_build):
    index = json.loads((site_build.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "The calibration worked example as a reliability diagram" in text
    assert "def draw" not in text and "How this figure was made" not in text


# --- in the browser ----------------------------------------------------------------------------------

VISIBLE = """async () => {
  const out = [];
  for (const f of document.querySelectorAll('figure.fg-figure')) {
    const img = [...f.querySelectorAll('img')].find(i => getComputedStyle(i).display !== 'none');
    if (!img) { out.push({name: f.dataset.figure, error: 'no visible image'}); continue; }
    img.loading = 'eager';
    let error = null;
    try { await img.decode(); } catch (e) { error = 'did not load: ' + img.src; }
    out.push({name: f.dataset.figure, error, theme: img.className.includes('--dark') ? 'dark' : 'light',
              width: img.getBoundingClientRect().width, natural: img.naturalWidth,
              caption: f.querySelector('figcaption')?.textContent || '',
              how: f.querySelector('details.fg-figure__how') !== null});
  }
  return out;
}"""


def figures_in(chromium, url: str, scheme: str) -> tuple[list[dict], list[str]]:
    log = browser.NetworkLog()
    context = browser.guarded_context(chromium, log, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(url, wait_until="load")
        found = page.evaluate(VISIBLE)
    finally:
        context.close()
    return found, errors + [f"blocked: {u}" for u in log.blocked]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_figures_show_from_the_offline_copy_opened_from_disk(chromium, offline_build, scheme):
    assert offline_build.returncode == 0, offline_build.log
    checked = 0
    for page, names in placements().items():
        url = built(offline_build.site, page, directory_urls=False).as_uri()
        assert url.startswith("file://")
        found, errors = figures_in(chromium, url, scheme)
        assert errors == [], f"{page}: {errors}"
        assert [f["name"] for f in found] == names, page
        for figure in found:
            assert figure["error"] is None, f"{page}: {figure}"
            assert figure["theme"] == scheme and figure["natural"] > 0 and figure["width"] > 0, figure
            assert len(figure["caption"]) >= 80 and figure["how"], figure
            checked += 1
    assert checked >= 12


def test_palette_toggle_switches_figure_variant(chromium, site_url):
    log = browser.NetworkLog()
    context = browser.guarded_context(chromium, log, color_scheme="light")
    page = context.new_page()
    try:
        page.goto(site_url + "foundations/metrics/")
        before = page.evaluate(VISIBLE)
        assert before and {f["theme"] for f in before} == {"light"}
        page.locator("form[data-fg-palette] label:not([hidden])").first.click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        after = page.evaluate(VISIBLE)
        assert [f["name"] for f in after] == [f["name"] for f in before]
        assert {f["theme"] for f in after} == {"dark"} and all(f["error"] is None for f in after)
        page.locator("figure.fg-figure .fg-diagram__open").first.click()  # the full-screen viewer opens it
        page.wait_for_selector("dialog.fg-viewer[open] .fg-viewer__stage img")
        assert page.locator(".fg-viewer__legend").is_hidden(), "a chart has no palette legend to link"
    finally:
        context.close()
    assert log.blocked == []
