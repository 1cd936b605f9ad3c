"""overrides/hooks/material_on_demand.py: Material's bundle replaced by a loader, tables framed at build."""

from __future__ import annotations

import importlib.util

import pytest

from guidelib.paths import ROOT

spec = importlib.util.spec_from_file_location("fg_test_material_on_demand", ROOT / "overrides" / "hooks" / "material_on_demand.py")
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)

TAG = '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'


def test_the_bundle_tag_becomes_a_loader_that_knows_its_address():
    out = hook.defer_bundle(f"<body><p>x</p>{TAG}<script src='../javascripts/render.js'></script></body>", "a.md")
    assert TAG not in out and "<script src='../javascripts/render.js'></script>" in out  # the guide's scripts stay
    assert '"../assets/javascripts/bundle.a5f9d56c.min.js"' in out and "window.fgMaterial" in out


@pytest.mark.parametrize("body", ["<body></body>", f"<body>{TAG}{TAG}</body>"], ids=["missing", "twice"])
def test_a_page_without_exactly_one_bundle_tag_is_an_error_naming_the_page(body):
    with pytest.raises(ValueError, match=r"^framework/index\.md: expected Material's bundle <script> once"):
        hook.defer_bundle(body, "framework/index.md")


def test_the_print_page_loses_the_bundle():
    assert hook.drop_bundle(f"<body>{TAG}</body>", "print_page.md") == "<body></body>"


def test_plain_tables_are_framed_as_material_frames_them_and_others_are_left_alone():
    content = ('<table>\n<thead><tr><th>a</th></tr></thead>\n</table>\n<p>x</p>'
               '<table class="highlighttable"><tr><td>1</td></tr></table>')
    out = hook.wrap_tables(content)
    assert out.startswith('<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table>\n<thead>')
    assert out.count("md-typeset__scrollwrap") == 1 and '<table class="highlighttable">' in out
    assert hook.wrap_tables("<p>no table</p>") == "<p>no table</p>"
