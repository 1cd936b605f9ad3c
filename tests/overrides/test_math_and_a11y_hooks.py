"""Build-time maths (overrides/hooks/math.py), the accessibility fixes (overrides/hooks/a11y.py) and
print-site's assets kept to the print page (overrides/hooks/print_page.py)."""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from guidelib import katex
from guidelib.paths import ROOT

HOOKS = ROOT / "overrides" / "hooks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"fg_test_{name}", HOOKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


needs_katex = pytest.mark.skipif(not katex.Renderer().available(), reason="needs node and node_modules/katex")

PAGE = ('<html><head><title>t</title></head><body><article>'
        '<p>Cost <span class="arithmatex">\\(a^2 + b_{i}\\)</span> and</p>'
        '<div class="arithmatex">\\[\\frac{x}{y} &lt; 1\\]</div></article></body></html>')


@needs_katex
def test_formulas_are_rendered_once_with_mathml_and_the_stylesheet_is_linked():
    math = load("math")
    out = math.render_math(PAGE, "foundations/metrics/")
    assert out.count('data-rendered="true"') == 2
    assert "\\(" not in out and "\\[" not in out  # no TeX left for the browser
    assert out.count('<span class="katex">') == 2 and out.count('class="katex-display"') == 1  # one inline, one display
    assert "<math" in out and "<annotation encoding=\"application/x-tex\">\\frac{x}{y} &lt; 1</annotation>" in out
    assert out.count('href="../../assets/vendor/katex/katex.min.css"') == 1
    assert out.count('<link rel="preload" href="../../assets/vendor/katex/fonts/KaTeX_') == 2
    assert math.render_math(out, "foundations/metrics/") == out  # nothing left to do the second time
    math.state.renderer.close()


@needs_katex
def test_a_page_without_maths_is_untouched_and_gets_no_stylesheet():
    math = load("math")
    page = "<html><head></head><body><p>No maths, only 10<sup>9</sup>.</p></body></html>"
    assert math.render_math(page, "") == page


@needs_katex
def test_a_formula_katex_cannot_parse_is_reported_at_its_line_and_left_as_tex(caplog):
    math = load("math")
    bad = '<html><head></head><body><span class="arithmatex">\\(\\frac{1}{\\)</span></body></html>'
    source = "---\ntitle: x\n---\n\nSome text.\n\nThe ratio $\\frac{1}{$ is broken.\n"
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.math"):
        out = math.render_math(bad, "x/", "docs/x.md", source)
    assert "\\frac{1}{" in out and "data-rendered" not in out and "katex.min.css" not in out
    [record] = caplog.records
    assert record.getMessage().startswith("math: docs/x.md:7: KaTeX parse error")
    math.state.renderer.close()


def test_without_node_the_browser_renders_the_maths(monkeypatch, caplog):
    math = load("math")
    monkeypatch.setattr(katex.Renderer, "available", lambda self: False)
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.math"):
        assert math.render_math(PAGE, "x/") == PAGE
        assert math.render_math(PAGE, "y/") == PAGE
    assert [r.getMessage() for r in caplog.records] == [
        "math: Node or node_modules/katex not found; formulas will be rendered in the browser"]


def test_checklist_boxes_are_named_after_their_item():
    a11y = load("a11y")
    html = ('<ul class="task-list"><li class="task-list-item"><label class="task-list-control">'
            '<input type="checkbox" disabled/><span class="task-list-indicator"></span></label> '
            'Ask about <em>latency</em> &amp; scale.<ul><li>nested</li></ul></li>'
            '<li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled checked/>'
            '<span class="task-list-indicator"></span></label> Done.</li></ul>')
    out = a11y.label_tasks(html)
    assert '<input type="checkbox" aria-label="Ask about latency &amp; scale." disabled/>' in out
    assert '<input type="checkbox" aria-label="Done." disabled checked/>' in out
    assert "nested" not in out.split("aria-label=")[1].split('"')[1]


def test_empty_corner_header_cells_become_plain_cells():
    a11y = load("a11y")
    html = '<table><thead><tr><th></th><th>Recall</th><th style="text-align: right;"> </th></tr></thead></table>'
    assert a11y.plain_corner_cells(html) == ('<table><thead><tr><td></td><th>Recall</th>'
                                             '<td style="text-align: right;"></td></tr></thead></table>')


def test_print_site_assets_stay_on_the_print_page_only():
    print_page = load("print_page")
    head = ('<link rel="stylesheet" href="../css/print-site.css">\n<link rel="stylesheet" href="../css/'
            'print-site-material.css">\n<link rel="stylesheet" href="../stylesheets/extra.css">'
            '<script src="../js/print-site.js"></script><script src="../javascripts/render.js"></script>')
    plugin = SimpleNamespace(config={"print_page_basename": "print_page"})
    config = SimpleNamespace(plugins={"print-site": plugin}, site_dir="site", use_directory_urls=True)
    config.plugins = {"print-site": plugin}
    page = SimpleNamespace(file=SimpleNamespace(src_uri="foundations/metrics.md"))
    out = print_page.on_post_page(head, page, config)
    assert "print-site" not in out and "extra.css" in out and "render.js" in out
    printed = SimpleNamespace(file=SimpleNamespace(src_uri="print_page.md"))
    assert print_page.on_post_page(head, printed, config) == head


PRINTED = """<head><link rel="stylesheet" href="../css/print-site.css">
        <script type="text/javascript">
        document.addEventListener('DOMContentLoaded', function () {
            remove_material_navigation();remove_mkdocs_theme_navigation();generate_toc();
        })
        </script></head><body>
<div id="print-page-toc" data-toc-depth="2"><nav role='navigation' class='print-page-toc-nav'>
<h1 class='print-page-toc-title'>Contents</h1>
</nav></div>
<section class="print-page" id="index"><nav class='md-tags'><span class='md-tag'>interview</span></nav><h1>Home</h1>
<ul class="task-list"><li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled/><span class="task-list-indicator"></span></label> Ask about scale</li></ul>
<table><thead><tr><th></th><th>Recall</th></tr></thead></table></section>
<nav class="md-nav md-nav--secondary" aria-label="On this page"><label>On this page</label>
<ul class="md-nav__list" data-md-component="toc" data-md-scrollfix><li><a href="#index">1 Home</a>
<nav class="md-nav"><ul class="md-nav__list"><li><a href="#a">1.1 A</a></li></ul></nav></li>
<li><a href="#b">2 B</a></li></ul></nav>
<script src="../js/print-site.js"></script><script src="../javascripts/render.js"></script></body>"""


def test_the_print_pages_contents_are_written_at_build_time_and_its_navigation_hidden_by_style():
    print_page = load("print_page")
    out = print_page.contents_at_build_time(PRINTED)
    assert "generate_toc" not in out and "print-site.js" not in out and "render.js" in out
    assert "css/print-site.css" in out  # the print page keeps print-site's styles
    assert print_page.HIDDEN in out.split("</head>")[0]
    contents = out.split("<h1 class='print-page-toc-title'>Contents</h1>")[1].split("</nav></div>")[0]
    assert contents.startswith('<ul class="md-nav__list" data-md-scrollfix>')  # a copy, not a second toc component
    assert [href for href in ("#index", "#a", "#b") if href in contents] == ["#index", "#a", "#b"]
    assert out.count('data-md-component="toc"') == 1  # the sidebar's own list is left as it was
    # print-site took the pages' HTML before the hooks: the accessibility fixes are made here too
    assert "<div class='md-tags'><span class='md-tag'>interview</span></div>" in out and "<nav class='md-tags'>" not in out
    assert 'aria-label="Ask about scale"' in out and "<td></td><th>Recall</th>" in out


def test_a_print_page_print_site_no_longer_writes_is_an_error():
    print_page = load("print_page")
    with pytest.raises(ValueError, match="print-site's DOMContentLoaded script was not found"):
        print_page.contents_at_build_time(PRINTED.replace("generate_toc();", "make_toc();").replace(
            "remove_material_navigation();", "hide();"))


def test_a_header_cell_that_is_only_a_formula_is_read_by_its_glyphs():
    a11y = load("a11y")
    formula = ('<span class="arithmatex" data-rendered="true"><!--fg-math--><span class="katex"><span class="katex-mathml">'
               '<math><mi>P</mi></math></span><span class="katex-html" aria-hidden="true"><span>P</span></span></span></span>')
    html = f"<table><thead><tr><th>{formula}</th><th>Gain {formula}</th></tr></thead><tbody><tr><td>{formula}</td></tr></tbody></table>"
    out = a11y.on_post_page(html, None, None)
    only, mixed = out.split("<th>")[1], out.split("<th>")[2]
    assert '<span class="katex-mathml" aria-hidden="true">' in only and '<span class="katex-html">' in only
    assert mixed.startswith("Gain ") and '<span class="katex-html" aria-hidden="true">' in mixed  # has text: left alone
    assert out.split("<td>")[1].count('aria-hidden="true"') == 1  # body cells are left alone
